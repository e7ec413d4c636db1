package dev.blitdb.storage.documents;

import dev.blitdb.storage.engine.StorageException;

/**
 * A document operation failed after it had started changing pages (its cause says why, e.g. a full disk found
 * late). The merger throws the partial change away and re-applies the other operations of the batch.
 */
public final class DocumentWriteFailedException extends StorageException {

    public DocumentWriteFailedException(String what, Throwable cause) {
        super(what + " failed part way and was rolled back: " + cause.getMessage(), cause);
    }
}
