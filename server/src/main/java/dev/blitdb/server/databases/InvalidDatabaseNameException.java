package dev.blitdb.server.databases;

/** A database name breaks the rules of {@link DatabaseName} (HTTP 400). */
public final class InvalidDatabaseNameException extends RuntimeException {
    public InvalidDatabaseNameException(String message) {
        super(message);
    }
}
