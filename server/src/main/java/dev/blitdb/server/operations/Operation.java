package dev.blitdb.server.operations;

import java.time.Instant;
import java.util.Map;

/**
 * One operation: what it is, where it is, its progress, and how it ended ({@code result} when {@code Completed},
 * {@code errorType}/{@code errorMessage} when {@code Faulted} or {@code Cancelled}). State changes once, from
 * {@code Running} to a terminal state, published through the volatile fields in that order (result first).
 */
public final class Operation {

    private final long id;
    private final OperationKind kind;
    private final String database;
    private final String description;
    private final Instant startedAt = Instant.now();
    private final Progress progress = new Progress();
    private volatile Instant endedAt;
    private volatile Map<String, Object> result;
    private volatile String errorType;
    private volatile String errorMessage;
    private volatile OperationState state = OperationState.Running;
    private volatile Thread thread;

    Operation(long id, OperationKind kind, String database, String description) {
        this.id = id;
        this.kind = kind;
        this.database = database;
        this.description = description;
    }

    public long id() {
        return id;
    }

    public OperationKind kind() {
        return kind;
    }

    /** The database it works on, or null for server-wide work (a restore names its new database here). */
    public String database() {
        return database;
    }

    public String description() {
        return description;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant endedAt() {
        return endedAt;
    }

    public Progress progress() {
        return progress;
    }

    public OperationState state() {
        return state;
    }

    public Map<String, Object> result() {
        return result;
    }

    public String errorType() {
        return errorType;
    }

    public String errorMessage() {
        return errorMessage;
    }

    Thread thread() {
        return thread;
    }

    void started(Thread t) {
        thread = t;
    }

    /** Asks the job to stop: it sees the request at its next check (and an interrupt wakes a blocked wait). */
    boolean cancel() {
        if (state.terminal()) {
            return false;
        }
        progress.requestCancel();
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        return true;
    }

    void completed(Map<String, Object> r) {
        result = r;
        end(OperationState.Completed);
    }

    void failed(OperationState terminal, String type, String message) {
        errorType = type;
        errorMessage = message;
        end(terminal);
    }

    private void end(OperationState terminal) {
        progress.stopClock();
        endedAt = Instant.now();
        state = terminal;
        synchronized (this) {
            notifyAll();
        }
    }

    /** Waits until the operation ends or {@code millis} pass; returns whether it ended. */
    public boolean await(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        synchronized (this) {
            while (!state.terminal()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                wait(left);
            }
        }
        return true;
    }
}
