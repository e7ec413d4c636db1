/** {@code blitdb setup}: CA, server and admin certificates built with BouncyCastle. */
package dev.blitdb.server.security.setup;
