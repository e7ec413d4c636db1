package dev.blitdb.storage.documents;

import dev.blitdb.storage.engine.StorageException;

/**
 * A command of a batch failed, so none of the batch's commands were applied. {@link #index()} says which command
 * and {@link #getCause()} why (a conflict, a bad id, a full disk).
 */
public final class BatchCommandException extends StorageException {

    private final int index;

    public BatchCommandException(int index, DocumentCommand command, Throwable cause) {
        super("command " + index + " of the batch (" + command.describe() + ") failed, so no command of the "
                + "batch was applied: " + cause.getMessage(), cause);
        this.index = index;
    }

    public int index() {
        return index;
    }

    /** False: earlier commands of the batch had changed pages; the merger discards them by replaying. */
    @Override
    public boolean leftNoTrace() {
        return false;
    }
}
