package dev.blitdb.server.databases;

/** The database exists but cannot serve right now: still opening, failed to open, or closing (HTTP 503). */
public final class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(String message) {
        super(message);
    }
}
