package dev.blitdb.server.security.auth;

import java.util.Map;

/**
 * Who made a request: a registered API key or client certificate, with its clearance and (for users) its
 * database grants. Immutable; built when the security store changes, never per request.
 *
 * @param kind      {@code ApiKey} or {@code Certificate}
 * @param id        the API key's public id, or the certificate's thumbprint
 * @param name      the name given when it was registered
 * @param databases database name → access (users only; compared ignoring case, as database names are)
 */
public record Principal(String kind, String id, String name, Clearance clearance, Map<String, Access> databases) {

    public static final String API_KEY = "ApiKey";
    public static final String CERTIFICATE = "Certificate";

    public Principal {
        databases = Map.copyOf(databases);
    }

    /**
     * This principal's access to {@code database}, or {@code null}; allocation-free (it runs on every request):
     * the few grants are compared ignoring case one by one.
     */
    public Access accessTo(String database) {
        return switch (clearance) {
            case CLUSTER_ADMIN, OPERATOR -> Access.ADMIN;
            case USER -> userAccess(database);
        };
    }

    private Access userAccess(String database) {
        if (database == null) {
            return null;
        }
        for (var grant : databases.entrySet()) {
            if (grant.getKey().equalsIgnoreCase(database)) {
                return grant.getValue();
            }
        }
        return null;
    }

    public String describe() {
        return kind + " '" + name + "' (" + clearance.wireName() + ")";
    }
}
