package dev.blitdb.server.databases;

/** No database of that name exists, or it is being dropped (HTTP 404). */
public final class DatabaseNotFoundException extends RuntimeException {
    public DatabaseNotFoundException(String message) {
        super(message);
    }
}
