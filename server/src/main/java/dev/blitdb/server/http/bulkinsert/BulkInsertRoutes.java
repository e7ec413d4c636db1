package dev.blitdb.server.http.bulkinsert;

import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.routing.Blocking;
import dev.blitdb.server.http.routing.RouteFamily;
import dev.blitdb.server.http.routing.RouteTable;
import io.undertow.util.Methods;

/** {@code POST /databases/{db}/bulk_insert}; see {@link BulkInsertHandler}. */
public final class BulkInsertRoutes implements RouteFamily {

    private final DatabaseRegistry registry;
    private final long maxDocumentBytes;

    /** @param maxDocumentBytes the largest single document (line) accepted: the server's body limit */
    public BulkInsertRoutes(DatabaseRegistry registry, long maxDocumentBytes) {
        this.registry = registry;
        this.maxDocumentBytes = maxDocumentBytes;
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Methods.POST, "/databases/{db}/bulk_insert",
                Blocking.dispatch(new BulkInsertHandler(registry, maxDocumentBytes)));
    }
}
