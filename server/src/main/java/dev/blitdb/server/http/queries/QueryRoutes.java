package dev.blitdb.server.http.queries;

import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.body.RequestBodyReader;
import dev.blitdb.server.http.routing.Blocking;
import dev.blitdb.server.http.routing.RouteFamily;
import dev.blitdb.server.http.routing.RouteTable;
import io.undertow.util.Methods;

/** {@code POST /databases/{db}/queries} with an RQL body, and {@code GET ...?query=} for quick looks. */
public final class QueryRoutes implements RouteFamily {

    private final QueryHandler handler;

    public QueryRoutes(DatabaseRegistry registry, RequestBodyReader bodies) {
        this.handler = new QueryHandler(registry, bodies);
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Methods.POST, "/databases/{db}/queries", Blocking.dispatch(handler::handle))
                .add(Methods.GET, "/databases/{db}/queries", Blocking.dispatch(handler::handle));
    }
}
