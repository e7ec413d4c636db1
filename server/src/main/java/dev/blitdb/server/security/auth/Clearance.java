package dev.blitdb.server.security.auth;

/**
 * What a principal may do server-wide. {@code ClusterAdmin}: everything, security included. {@code Operator}:
 * server administration (databases, every database's data and indexes) but not security. {@code User}: only the
 * databases granted to it, each at its own {@link Access} level.
 */
public enum Clearance {
    CLUSTER_ADMIN("ClusterAdmin"),
    OPERATOR("Operator"),
    USER("User");

    private final String wireName;

    Clearance(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Clearance parse(String name) {
        for (Clearance c : values()) {
            if (c.wireName.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("Clearance must be ClusterAdmin, Operator or User, got '" + name + "'");
    }
}
