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
    private final dev.blitdb.server.http.body.LargeRequestBudget budget;

    /**
     * @param maxDocumentBytes the largest single document (line) accepted: the server's body limit
     * @param budget           the server's large-request budget; each bulk insert holds its batch and in-flight
     *                         bytes from it
     */
    public BulkInsertRoutes(DatabaseRegistry registry, long maxDocumentBytes,
                            dev.blitdb.server.http.body.LargeRequestBudget budget) {
        this.registry = registry;
        this.maxDocumentBytes = maxDocumentBytes;
        this.budget = budget;
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Methods.POST, "/databases/{db}/bulk_insert",
                Blocking.dispatch(new BulkInsertHandler(registry, maxDocumentBytes, budget)));
    }
}
