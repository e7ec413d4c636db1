package dev.blitdb.storage.engine;

/**
 * Base of every error the storage module raises on purpose. Subclasses say what happened and carry the numbers that
 * matter; the server maps them to HTTP statuses (full → 507, conflict → 409, too large → 413).
 */
public abstract class StorageException extends RuntimeException {

    protected StorageException(String message) {
        super(message);
    }

    protected StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether this error was raised before the operation changed anything, so the transaction it ran in is still
     * consistent and other operations in it may commit (the transaction merger relies on this).
     */
    public boolean leftNoTrace() {
        return false;
    }
}
