package dev.blitdb.storage.engine;

/**
 * An I/O error hit a commit after it started writing its commit point (for example msync failed). What reached
 * the disk is unknown, so the store refuses further use; close it and open it again, which recovers the last
 * commit that is complete on disk.
 */
public final class StoreFailedException extends StorageException {

    public StoreFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
