/**
 * Security: TLS ({@code tls}), principals and how a request proves one ({@code auth}), the system database that
 * keeps them and the audit log ({@code store}), and certificate generation for {@code blitdb setup}
 * ({@code setup}). The HTTP side (the one authorization handler and its route → permission table) is in
 * {@code dev.blitdb.server.http.security}. See server/SECURITY.md for the model.
 */
package dev.blitdb.server.security;
