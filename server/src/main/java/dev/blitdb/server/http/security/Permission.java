package dev.blitdb.server.http.security;

import dev.blitdb.server.security.auth.Access;
import dev.blitdb.server.security.auth.Clearance;
import dev.blitdb.server.security.auth.Principal;

/** What a route needs from the principal of a request. */
public sealed interface Permission {

    /** No credential needed ({@code /health}, so load balancers can probe a secure server). */
    Permission PUBLIC = new Public();
    /** Any registered principal. */
    Permission AUTHENTICATED = new Authenticated();
    /** Server administration: {@code Operator} or {@code ClusterAdmin}. */
    Permission OPERATOR = new Server(Clearance.OPERATOR);
    /** Security administration: {@code ClusterAdmin} only. */
    Permission CLUSTER_ADMIN = new Server(Clearance.CLUSTER_ADMIN);
    Permission DATABASE_READ = new OnDatabase(Access.READ);
    Permission DATABASE_READ_WRITE = new OnDatabase(Access.READ_WRITE);
    Permission DATABASE_ADMIN = new OnDatabase(Access.ADMIN);

    /** Whether {@code principal} may call the route; {@code database} is the route's {@code {db}} or null. */
    boolean allows(Principal principal, String database);

    /** Whether calls are written to the audit log (administration and security; not data reads and writes). */
    boolean audited();

    /** How the permission is named in a 403 message and in the docs. */
    String describe();

    record Public() implements Permission {
        @Override
        public boolean allows(Principal principal, String database) {
            return true;
        }

        @Override
        public boolean audited() {
            return false;
        }

        @Override
        public String describe() {
            return "none";
        }
    }

    record Authenticated() implements Permission {
        @Override
        public boolean allows(Principal principal, String database) {
            return true;
        }

        @Override
        public boolean audited() {
            return false;
        }

        @Override
        public String describe() {
            return "any authenticated principal";
        }
    }

    /** A server-wide clearance: {@code OPERATOR} admits Operator and ClusterAdmin. */
    record Server(Clearance atLeast) implements Permission {
        @Override
        public boolean allows(Principal principal, String database) {
            return principal.clearance().ordinal() <= atLeast.ordinal();
        }

        @Override
        public boolean audited() {
            return true;
        }

        @Override
        public String describe() {
            return atLeast.wireName() + " clearance";
        }
    }

    /** An access level on the route's {@code {db}}. */
    record OnDatabase(Access access) implements Permission {
        @Override
        public boolean allows(Principal principal, String database) {
            Access granted = principal.accessTo(database);
            return granted != null && granted.includes(access);
        }

        @Override
        public boolean audited() {
            return access == Access.ADMIN;
        }

        @Override
        public String describe() {
            return access.wireName() + " on the database";
        }
    }
}
