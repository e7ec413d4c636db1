package dev.blitdb.server.http.indexes;

import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.body.RequestBodyReader;
import dev.blitdb.server.http.routing.Blocking;
import dev.blitdb.server.http.routing.RouteFamily;
import dev.blitdb.server.http.routing.RouteTable;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

/**
 * The index routes of DESIGN.md: definitions (admin), stats, errors, staleness, live priority, stop/start,
 * reset and drop. Every handler blocks (it reads the store or waits for a commit), so all are dispatched.
 */
public final class IndexRoutes implements RouteFamily {

    /** The API's own method for "empty this index and rebuild it". */
    public static final HttpString RESET = new HttpString("RESET");

    private final IndexAdminHandlers admin;
    private final IndexInfoHandlers info;

    public IndexRoutes(DatabaseRegistry registry, RequestBodyReader bodies) {
        this.admin = new IndexAdminHandlers(registry, bodies);
        this.info = new IndexInfoHandlers(registry);
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Methods.PUT, "/databases/{db}/admin/indexes", Blocking.dispatch(admin::put))
                .add(Methods.POST, "/databases/{db}/admin/indexes/stop", Blocking.dispatch(admin::stop))
                .add(Methods.POST, "/databases/{db}/admin/indexes/start", Blocking.dispatch(admin::start))
                .add(Methods.POST, "/databases/{db}/indexes/set-priority", Blocking.dispatch(admin::setPriority))
                .add(RESET, "/databases/{db}/indexes", Blocking.dispatch(admin::reset))
                .add(Methods.DELETE, "/databases/{db}/indexes", Blocking.dispatch(admin::delete))
                .add(Methods.GET, "/databases/{db}/indexes", Blocking.dispatch(info::definitions))
                .add(Methods.GET, "/databases/{db}/indexes/stats", Blocking.dispatch(info::stats))
                .add(Methods.GET, "/databases/{db}/indexes/errors", Blocking.dispatch(info::errors))
                .add(Methods.GET, "/databases/{db}/indexes/staleness", Blocking.dispatch(info::staleness));
    }
}
