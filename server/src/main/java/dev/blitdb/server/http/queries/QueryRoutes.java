package dev.blitdb.server.http.queries;

import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.body.RequestBodyReader;
import dev.blitdb.server.http.routing.Blocking;
import dev.blitdb.server.http.routing.RouteFamily;
import dev.blitdb.server.http.routing.RouteTable;
import dev.blitdb.indexing.query.rql.RqlCache;
import io.undertow.server.HttpHandler;
import io.undertow.util.Methods;

/**
 * {@code POST /databases/{db}/queries} with an RQL body, and {@code GET ...?query=} for quick looks: answered on
 * the IO thread when that cannot block ({@link QueryFastPath}), else on a worker ({@link QueryHandler}).
 */
public final class QueryRoutes implements RouteFamily {

    private final HttpHandler handler;

    public QueryRoutes(DatabaseRegistry registry, RequestBodyReader bodies) {
        RqlCache parsed = new RqlCache(RqlCache.DEFAULT_CAPACITY); // by text, shared by both paths and databases
        HttpHandler blocking = Blocking.dispatch(new QueryHandler(registry, bodies, parsed)::handle);
        this.handler = Blocking.nonBlocking(new QueryFastPath(registry, parsed, blocking));
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Methods.POST, "/databases/{db}/queries", handler)
                .add(Methods.GET, "/databases/{db}/queries", handler);
    }
}
