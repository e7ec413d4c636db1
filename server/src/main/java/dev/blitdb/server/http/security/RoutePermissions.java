package dev.blitdb.server.http.security;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.blitdb.server.http.security.Permission.AUTHENTICATED;
import static dev.blitdb.server.http.security.Permission.CLUSTER_ADMIN;
import static dev.blitdb.server.http.security.Permission.DATABASE_ADMIN;
import static dev.blitdb.server.http.security.Permission.DATABASE_READ;
import static dev.blitdb.server.http.security.Permission.DATABASE_READ_WRITE;
import static dev.blitdb.server.http.security.Permission.OPERATOR;
import static dev.blitdb.server.http.security.Permission.PUBLIC;

/**
 * THE table: every route of the server ({@code "METHOD /template"}, exactly as registered in its route family)
 * and the permission it needs. {@link AuthorizationHandler} enforces it in front of every route; a route that is
 * missing here is refused to everyone but ClusterAdmin (fail closed) and {@code RoutePermissionsTest} fails,
 * naming the line to add. Adding a route = adding its line here.
 */
public final class RoutePermissions {

    private static final Map<String, Permission> TABLE = new LinkedHashMap<>();

    static {
        // health: probes of load balancers and orchestrators carry no credentials
        put("GET /health", PUBLIC);
        put("HEAD /health", PUBLIC);
        put("GET /health/ready", PUBLIC);
        put("HEAD /health/ready", PUBLIC);
        // databases
        put("GET /databases", AUTHENTICATED);
        put("PUT /admin/databases", OPERATOR);
        put("DELETE /admin/databases", OPERATOR);
        // documents
        put("GET /databases/{db}/docs", DATABASE_READ);
        put("HEAD /databases/{db}/docs", DATABASE_READ);
        put("PUT /databases/{db}/docs", DATABASE_READ_WRITE);
        put("DELETE /databases/{db}/docs", DATABASE_READ_WRITE);
        put("POST /databases/{db}/bulk_docs", DATABASE_READ_WRITE);
        put("POST /databases/{db}/bulk_insert", DATABASE_READ_WRITE);
        put("GET /databases/{db}/hilo/next", DATABASE_READ_WRITE);
        // stats
        put("GET /databases/{db}/stats", DATABASE_READ);
        put("GET /databases/{db}/collections/stats", DATABASE_READ);
        // queries
        put("POST /databases/{db}/queries", DATABASE_READ);
        put("GET /databases/{db}/queries", DATABASE_READ);
        // indexes
        put("GET /databases/{db}/indexes", DATABASE_READ);
        put("GET /databases/{db}/indexes/stats", DATABASE_READ);
        put("GET /databases/{db}/indexes/errors", DATABASE_READ);
        put("GET /databases/{db}/indexes/staleness", DATABASE_READ);
        put("PUT /databases/{db}/admin/indexes", DATABASE_ADMIN);
        put("POST /databases/{db}/admin/indexes/stop", DATABASE_ADMIN);
        put("POST /databases/{db}/admin/indexes/start", DATABASE_ADMIN);
        put("POST /databases/{db}/indexes/set-priority", DATABASE_ADMIN);
        put("RESET /databases/{db}/indexes", DATABASE_ADMIN);
        put("DELETE /databases/{db}/indexes", DATABASE_ADMIN);
        // backups, compaction, export / import, operations. A backup or restore names a folder on the server's
        // disk, so it is server administration, not a database admin's right.
        put("POST /databases/{db}/admin/backup", OPERATOR);
        put("POST /admin/databases/restore", OPERATOR);
        put("PUT /databases/{db}/admin/backup/config", OPERATOR);
        put("DELETE /databases/{db}/admin/backup/config", OPERATOR);
        put("GET /databases/{db}/admin/backup/status", OPERATOR);
        put("POST /databases/{db}/admin/compact", DATABASE_ADMIN);
        put("GET /databases/{db}/export", DATABASE_READ);
        put("POST /databases/{db}/import", DATABASE_READ_WRITE);
        put("GET /operations", OPERATOR);
        put("GET /operations/{id}", OPERATOR);
        put("POST /operations/{id}/cancel", OPERATOR);
        // operations of the server: metrics carry no document data but describe the whole server, so they are
        // server administration; the studio's static files carry no data (the studio asks for an API key and
        // every call it makes is checked like any other client's)
        put("GET /metrics", OPERATOR);
        put("GET /studio", PUBLIC);
        put("GET /studio/", PUBLIC);
        put("GET /studio/{file}", PUBLIC);
        // cluster: clients discover the leader through the topology; creating or dropping a database on one node
        // only (the fan-out of /admin/databases) is server administration like the fan-out itself
        put("GET /cluster/topology", AUTHENTICATED);
        put("GET /cluster/node", AUTHENTICATED);
        put("PUT /admin/cluster/databases", OPERATOR);
        put("DELETE /admin/cluster/databases", OPERATOR);
        // membership changes reshape every database group: cluster administration (the node-to-node halves too;
        // a secured cluster's nodes call them as ClusterNode principals of ClusterAdmin clearance)
        put("PUT /admin/cluster/nodes", CLUSTER_ADMIN);
        put("DELETE /admin/cluster/nodes", CLUSTER_ADMIN);
        put("PUT /admin/cluster/members", CLUSTER_ADMIN);
        put("POST /admin/cluster/leave", CLUSTER_ADMIN);
        // security
        put("PUT /admin/security/api-keys", CLUSTER_ADMIN);
        put("GET /admin/security/api-keys", CLUSTER_ADMIN);
        put("DELETE /admin/security/api-keys", CLUSTER_ADMIN);
        put("PUT /admin/security/certificates", CLUSTER_ADMIN);
        put("GET /admin/security/certificates", CLUSTER_ADMIN);
        put("DELETE /admin/security/certificates", CLUSTER_ADMIN);
        put("GET /admin/security/audit", CLUSTER_ADMIN);
        put("POST /admin/security/tls/reload", CLUSTER_ADMIN);
        put("GET /admin/security/whoami", AUTHENTICATED);
    }

    private RoutePermissions() {
    }

    private static void put(String route, Permission permission) {
        if (TABLE.put(route, permission) != null) {
            throw new IllegalStateException("route " + route + " has two permission entries");
        }
    }

    /** The permission of {@code method template}, or null if the table has no entry. */
    public static Permission of(String method, String template) {
        return TABLE.get(method + " " + template);
    }

    /** The whole table, in the order above (docs and tests). */
    public static Map<String, Permission> table() {
        return java.util.Collections.unmodifiableMap(TABLE);
    }
}
