/**
 * The BlitDB server: start-up ({@link dev.blitdb.server.BlitDbMain}), the running server's lifecycle
 * ({@link dev.blitdb.server.BlitDbServer}); configuration in {@code config}, HTTP handlers in {@code http}.
 */
package dev.blitdb.server;
