package dev.blitdb.client.exceptions;

/**
 * HTTP 403 {@code Forbidden}: the server knows who is calling, and that principal lacks the permission the
 * request needs: {@link #permission()} (e.g. {@code ReadWrite}, or {@code Operator clearance}) on
 * {@link #database()} (null for a server-wide permission).
 */
public class AuthorizationException extends ServerErrorException {

    private final String permission;
    private final String database;

    public AuthorizationException(String message, String url, String permission, String database) {
        super(403, "Forbidden", message, url);
        this.permission = permission;
        this.database = database;
    }

    public String permission() {
        return permission;
    }

    public String database() {
        return database;
    }
}
