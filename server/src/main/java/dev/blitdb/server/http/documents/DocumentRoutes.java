package dev.blitdb.server.http.documents;

import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.body.RequestBodyReader;
import dev.blitdb.server.http.routing.Blocking;
import dev.blitdb.server.http.routing.RouteFamily;
import dev.blitdb.server.http.routing.RouteTable;
import io.undertow.server.HttpHandler;
import io.undertow.util.Methods;

/** The document routes: {@code /databases/{db}/docs} (GET, HEAD, PUT, DELETE) and {@code bulk_docs} (POST). */
public final class DocumentRoutes implements RouteFamily {

    private final DatabaseRegistry registry;
    private final RequestBodyReader bodyReader;

    public DocumentRoutes(DatabaseRegistry registry, RequestBodyReader bodyReader) {
        this.registry = registry;
        this.bodyReader = bodyReader;
    }

    @Override
    public void register(RouteTable routes) {
        HttpHandler read = Blocking.dispatch(new DocumentReadHandler(registry));
        HttpHandler get = Blocking.nonBlocking(new DocumentGetFastPath(registry, read));
        HttpHandler write = Blocking.dispatch(new DocumentWriteHandler(registry, bodyReader));
        routes.add(Methods.GET, "/databases/{db}/docs", get)
                .add(Methods.HEAD, "/databases/{db}/docs", read)
                .add(Methods.PUT, "/databases/{db}/docs", write)
                .add(Methods.DELETE, "/databases/{db}/docs", write)
                .add(Methods.POST, "/databases/{db}/bulk_docs",
                        Blocking.dispatch(new BulkDocsHandler(registry, bodyReader)));
    }
}
