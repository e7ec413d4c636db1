package dev.blitdb.server.security.auth;

/**
 * A {@link Clearance#USER}'s level on one database, each including the ones before it: {@code Read} (load,
 * query, stats), {@code ReadWrite} (also store, delete, bulk), {@code Admin} (also index administration and the
 * database's admin routes).
 */
public enum Access {
    READ("Read"),
    READ_WRITE("ReadWrite"),
    ADMIN("Admin");

    private final String wireName;

    Access(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean includes(Access needed) {
        return ordinal() >= needed.ordinal();
    }

    public static Access parse(String name) {
        for (Access a : values()) {
            if (a.wireName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("a database access level must be Read, ReadWrite or Admin, got '"
                + name + "'");
    }
}
