package dev.blitdb.server.http.routing;

/**
 * The routes of one capability (health, databases, documents and bulk_docs, stats, hilo, indexes, queries,
 * bulk_insert), registered together by the server's one route list ({@code dev.blitdb.server.http.ApiRoutes}).
 * A family wraps each of its handlers with {@link Blocking#dispatch} or {@link Blocking#nonBlocking} so errors
 * map the same way everywhere.
 */
@FunctionalInterface
public interface RouteFamily {
    void register(RouteTable routes);
}
