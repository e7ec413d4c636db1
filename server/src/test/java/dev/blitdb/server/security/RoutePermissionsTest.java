package dev.blitdb.server.security;

import dev.blitdb.server.BlitDbServer;
import dev.blitdb.server.config.ServerConfig;
import dev.blitdb.server.http.security.RoutePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Walks the running server's route table and a cluster node's extra routes: every route must have its line in
 * {@link RoutePermissions}.
 */
class RoutePermissionsTest {

    @Test
    void shouldHaveAPermissionEntryForEveryRoute(@TempDir Path dir) throws Exception {
        try (BlitDbServer server = BlitDbServer.start(new ServerConfig("127.0.0.1", 0, dir, false))) {
            List<String> routes = new ArrayList<>(server.routes());
            // A cluster node adds its own routes; a single server does not have them, so walk them apart.
            var clusterTable = new dev.blitdb.server.http.routing.RouteTable();
            new dev.blitdb.server.cluster.ClusterRoutes(null, null, null).register(clusterTable);
            new dev.blitdb.server.cluster.MembershipRoutes(null, null, null, null).register(clusterTable);
            assertTrue(clusterTable.routes().size() >= 8, "cluster routes: " + clusterTable.routes());
            routes.addAll(clusterTable.routes());
            assertTrue(routes.size() > 30, "the walk must see the whole table, saw " + routes);
            List<String> missing = new ArrayList<>();
            for (String route : routes) {
                int space = route.indexOf(' ');
                if (RoutePermissions.of(route.substring(0, space), route.substring(space + 1)) == null) {
                    missing.add(route);
                }
            }
            if (!missing.isEmpty()) {
                StringBuilder message = new StringBuilder(missing.size() + " route(s) have no permission entry. "
                        + "Add to the static block of server/src/main/java/dev/blitdb/server/http/security/"
                        + "RoutePermissions.java (choose PUBLIC, AUTHENTICATED, OPERATOR, CLUSTER_ADMIN, DATABASE_READ, "
                        + "DATABASE_READ_WRITE or DATABASE_ADMIN), and document it in server/API.md:\n");
                for (String route : missing) {
                    message.append("        put(\"").append(route).append("\", OPERATOR);\n");
                }
                fail(message.toString());
            }
            List<String> stale = new ArrayList<>(RoutePermissions.table().keySet());
            stale.removeAll(routes);
            assertEquals(List.of(), stale, "permission entries for routes that no longer exist: remove them");
        }
    }
}
