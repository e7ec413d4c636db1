package dev.blitdb.client.exceptions;

import dev.blitdb.client.operations.OperationStatus;

/** A server operation ended {@code Faulted} or {@code Cancelled}; {@link #status()} says how and why. */
public class OperationFailedException extends BlitDbException {

    private final transient OperationStatus status;

    public OperationFailedException(OperationStatus status) {
        super("operation " + status.id() + " (" + status.kind() + ") ended " + status.state()
                + (status.error() == null ? "" : ": " + status.error().type() + ": " + status.error().message()));
        this.status = status;
    }

    public OperationStatus status() {
        return status;
    }
}
