/**
 * The BlitDB server: start-up ({@link dev.blitdb.server.BlitDbMain}), the running server's lifecycle
 * ({@link dev.blitdb.server.BlitDbServer}); configuration in {@code config}, the database registry in
 * {@code databases}, the per-database index service in {@code indexes}, HTTP handlers in {@code http} (every route
 * family is listed in {@link dev.blitdb.server.http.ApiRoutes}).
 *
 * <h2>Hanging a per-database service on each database</h2>
 * Implement {@link dev.blitdb.server.databases.DatabaseService} (its {@code close()} stops it) and give the server a
 * {@link dev.blitdb.server.databases.DatabaseService.Factory}. The index service is the one the server hangs on
 * every database ({@link dev.blitdb.server.BlitDbServer#start(dev.blitdb.server.config.ServerConfig)} does this):
 * <pre>{@code
 * ThreadSpawner spawner = new ThreadSpawner("blitdb-index-spawner");
 * BlitDbServer.start(config, List.of(IndexService.factory(spawner, IndexingOptions.defaults())), List.of());
 * }</pre>
 * The registry starts the service on every database as it opens (at start-up, and on create), after the store is
 * open and before the first request; it closes the services in reverse order after the database's last request
 * and before its store closes (on drop and on shut-down). A handler finds it by its class,
 * {@code lease.database().service(IndexService.class)} (or {@code IndexService.of(lease.database())}, which fails
 * loudly when it is missing). A factory that throws leaves that database {@code Failed} (503 with the reason, and
 * {@code /health/ready} says so), the others unaffected. Files a service keeps under
 * {@link dev.blitdb.server.databases.Database#folder()} are deleted with the database.
 */
package dev.blitdb.server;
