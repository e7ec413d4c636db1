package dev.blitdb.storage.engine;

/** The data file fails a structural or checksum check; the message names the page and what was expected. */
public final class StoreCorruptedException extends StorageException {

    public StoreCorruptedException(String message) {
        super(message);
    }
}
