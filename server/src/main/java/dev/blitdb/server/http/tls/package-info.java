/**
 * The HTTPS listener: TLS over each accepted connection ({@link dev.blitdb.server.http.tls.TlsConduit}), the
 * handshake and ALPN choice, then Undertow's HTTP/1.1 or HTTP/2 protocol code over it. server/SECURITY.md.
 */
package dev.blitdb.server.http.tls;
