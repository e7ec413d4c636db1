package dev.blitdb.storage.documents;

import dev.blitdb.storage.engine.StorageException;

/** A document id or collection name breaks the rules of {@link DocumentIds} (HTTP 400). Nothing was written. */
public final class InvalidIdException extends StorageException {

    public InvalidIdException(String message) {
        super(message);
    }

    @Override
    public boolean leftNoTrace() {
        return true;
    }
}
