/**
 * The BlitDB server: start-up ({@link dev.blitdb.server.BlitDbMain}), the running server's lifecycle
 * ({@link dev.blitdb.server.BlitDbServer}); configuration in {@code config}, the database registry in
 * {@code databases}, HTTP handlers in {@code http}.
 *
 * <h2>Hanging a per-database service (the index manager) on each database</h2>
 * Implement {@link dev.blitdb.server.databases.DatabaseService} (its {@code close()} stops it) and give the server a
 * {@link dev.blitdb.server.databases.DatabaseService.Factory}:
 * <pre>{@code
 * BlitDbServer.start(config, List.of(db -> IndexManager.start(db.name().value(), db.folder().resolve("indexes"),
 *                                                            db.store())), List.of(new QueryRoutes(...)));
 * }</pre>
 * The registry starts the service on every database as it opens (at start-up, and on create), after the store is
 * open and before the first request; it closes the services in reverse order after the database's last request
 * and before its store closes (on drop and on shut-down). A handler finds it with
 * {@code lease.database().service(IndexManager.class)}. A factory that throws leaves that database
 * {@code Failed} (503 with the reason), the others unaffected. Files a service keeps under
 * {@link dev.blitdb.server.databases.Database#folder()} are deleted with the database.
 */
package dev.blitdb.server;
