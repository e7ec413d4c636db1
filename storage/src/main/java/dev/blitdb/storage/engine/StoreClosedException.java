package dev.blitdb.storage.engine;

/** The store or the transaction was already closed when it was used. */
public final class StoreClosedException extends StorageException {

    public StoreClosedException(String what) {
        super(what + " is already closed");
    }
}
