package dev.blitdb.storage.documents;

import dev.blitdb.storage.engine.StorageException;

/** The document is not one the store accepts (not an object, bad {@code @metadata}) (HTTP 400). Nothing written. */
public final class InvalidDocumentException extends StorageException {

    public InvalidDocumentException(String message) {
        super(message);
    }

    @Override
    public boolean leftNoTrace() {
        return true;
    }
}
