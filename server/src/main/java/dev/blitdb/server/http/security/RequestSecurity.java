package dev.blitdb.server.http.security;

import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.errors.ApiException;
import dev.blitdb.server.security.auth.Authenticator;
import dev.blitdb.server.security.auth.FailedAuthentications;
import dev.blitdb.server.security.auth.SecuritySnapshot;
import dev.blitdb.server.security.store.AuditLog;
import dev.blitdb.server.security.store.SecurityStore;
import dev.blitdb.server.security.tls.ServerTls;
import io.undertow.server.HttpHandler;
import io.undertow.util.HttpString;

/**
 * What the authorization step needs: whether authentication is enforced, how to authenticate, the failure
 * limiter, the security store (attached once the listener is up and the store open; until then nobody
 * authenticates and the security routes answer 503) and the TLS listener (for its reload route; null without
 * TLS). {@link #guard} wraps a route's handler with the {@link AuthorizationHandler} for the route's entry in
 * {@link RoutePermissions}.
 */
public final class RequestSecurity {

    private static final System.Logger LOG = System.getLogger(RequestSecurity.class.getName());

    private final boolean enforced;
    private final Authenticator authenticator;
    private final FailedAuthentications failures;
    private final ServerTls tls;
    private volatile SecurityStore store;

    public RequestSecurity(boolean enforced, FailedAuthentications failures, ServerTls tls) {
        this(enforced, failures, tls, java.util.Map.of());
    }

    /** @param clusterNodes a cluster's node certificates by thumbprint (see {@link Authenticator}) */
    public RequestSecurity(boolean enforced, FailedAuthentications failures, ServerTls tls,
                           java.util.Map<String, dev.blitdb.server.security.auth.Principal> clusterNodes) {
        this.enforced = enforced;
        this.authenticator = new Authenticator(this::snapshot, clusterNodes);
        this.failures = failures;
        this.tls = tls;
    }

    /** Starts serving principals from {@code opened}. */
    public void attach(SecurityStore opened) {
        this.store = opened;
    }

    /** Whether the security store is open (requests before that get 503). */
    public boolean attached() {
        return store != null;
    }

    /** The principals in force now (none before the store is attached). */
    public SecuritySnapshot snapshot() {
        SecurityStore s = store;
        return s == null ? SecuritySnapshot.EMPTY : s.snapshot();
    }

    public boolean enforced() {
        return enforced;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public FailedAuthentications failures() {
        return failures;
    }

    public ServerTls tls() {
        return tls;
    }

    public SecurityStore store() {
        SecurityStore s = store;
        if (s == null) {
            throw new ApiException(ApiError.DATABASE_UNAVAILABLE, "the security store is still opening; retry");
        }
        return s;
    }

    public AuditLog audit() {
        return store().audit();
    }

    /** The handler for {@code method template}: {@code handler} behind its permission check. */
    public HttpHandler guard(HttpString method, String template, HttpHandler handler) {
        String route = method + " " + template;
        Permission permission = RoutePermissions.of(method.toString(), template);
        if (permission == null) {
            // Fail closed: a route nobody classified is for ClusterAdmin only (RoutePermissionsTest fails too).
            LOG.log(System.Logger.Level.WARNING, "route " + route + " has no entry in RoutePermissions; "
                    + "only ClusterAdmin may call it until one is added");
            permission = Permission.CLUSTER_ADMIN;
        }
        return new AuthorizationHandler(this, route, permission, handler);
    }
}
