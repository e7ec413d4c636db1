package dev.blitdb.server.operations;

/** Where an operation is; every state but {@code Running} is final. Names are the protocol's. */
public enum OperationState {
    Running, Completed, Faulted, Cancelled;

    public boolean terminal() {
        return this != Running;
    }
}
