package dev.blitdb.server.operations;

/** Thrown inside a job when its operation was cancelled; the operation ends {@code Cancelled}. */
public final class OperationCancelledException extends RuntimeException {
    public OperationCancelledException(String message) {
        super(message, null, false, false);
    }
}
