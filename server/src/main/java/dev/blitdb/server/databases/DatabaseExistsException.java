package dev.blitdb.server.databases;

/** A database of that name (in any casing) already exists (HTTP 409). */
public final class DatabaseExistsException extends RuntimeException {
    public DatabaseExistsException(String message) {
        super(message);
    }
}
