package dev.blitdb.server.http.dump;

import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.routing.Blocking;
import dev.blitdb.server.http.routing.RouteFamily;
import dev.blitdb.server.http.routing.RouteTable;
import io.undertow.util.Methods;

/** {@code GET /databases/{db}/export} and {@code POST /databases/{db}/import} (format: server/EXPORT.md). */
public final class DumpRoutes implements RouteFamily {

    private final DatabaseRegistry registry;
    private final long maxDocumentBytes;

    public DumpRoutes(DatabaseRegistry registry, long maxDocumentBytes) {
        this.registry = registry;
        this.maxDocumentBytes = maxDocumentBytes;
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Methods.GET, "/databases/{db}/export", Blocking.dispatch(new ExportHandler(registry)))
                .add(Methods.POST, "/databases/{db}/import", Blocking.dispatch(new ImportHandler(registry,
                        maxDocumentBytes)));
    }
}
