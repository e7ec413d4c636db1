/**
 * The HTTPS listener's certificate: PEM and PKCS#12 loading (BouncyCastle), a key manager whose certificate is
 * replaced when its files change, and the client-certificate trust (registered thumbprints). server/SECURITY.md.
 */
package dev.blitdb.server.security.tls;
