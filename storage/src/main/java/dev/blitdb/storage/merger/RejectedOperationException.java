package dev.blitdb.storage.merger;

import dev.blitdb.storage.engine.StorageException;

/** An operation refused itself before changing anything; the rest of its batch commits. */
public class RejectedOperationException extends StorageException {

    public RejectedOperationException(String message) {
        super(message);
    }

    @Override
    public final boolean leftNoTrace() {
        return true;
    }
}
