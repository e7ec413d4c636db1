package dev.blitdb.server.operations;

import dev.blitdb.server.http.errors.ApiException;
import dev.blitdb.server.http.errors.ExceptionMapping;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's operations: each runs its {@link OperationJob} on its own platform thread ({@code op-{id}-{kind}})
 * and stays listed until {@value #KEEP_FINISHED} newer ones have finished. Ids count up from 1 per server run (they
 * are not persisted: an operation does not survive a restart, and a restarted server says "no such operation").
 *
 * <p>A job ends {@code Completed} with its result, {@code Cancelled} when it stopped on a cancel request (an
 * {@link OperationCancelledException}, or an interrupt-caused I/O error after {@link #cancel}), or {@code Faulted}
 * with the error's {@code Type} and {@code Message} as the HTTP API would have answered it.
 */
public final class Operations implements AutoCloseable {

    static final int KEEP_FINISHED = 200;
    private static final System.Logger LOG = System.getLogger(Operations.class.getName());

    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Operation> byId = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Starts {@code job} as a new operation and returns it at once (state {@code Running}). */
    public Operation start(OperationKind kind, String database, String description, OperationJob job) {
        if (closed) {
            throw new IllegalStateException("the server is shutting down; no new operations");
        }
        Operation op = new Operation(ids.incrementAndGet(), kind, database, description);
        byId.put(op.id(), op);
        Thread t = Thread.ofPlatform().name("op-" + op.id() + "-" + kind).unstarted(() -> run(op, job));
        op.started(t);
        t.start();
        trim();
        return op;
    }

    /**
     * Runs {@code job} on the calling thread as an operation (for work bound to a request, such as a streaming
     * export or import), recording its outcome; a failure is recorded and rethrown. Cancellation sets the flag the
     * job checks ({@link Progress#checkCancelled()}); the request thread is never interrupted.
     */
    public Map<String, Object> runHere(OperationKind kind, String database, String description, OperationJob job)
            throws Exception {
        if (closed) {
            throw new IllegalStateException("the server is shutting down; no new operations");
        }
        Operation op = new Operation(ids.incrementAndGet(), kind, database, description);
        byId.put(op.id(), op);
        trim();
        run(op, job);
        return switch (op.state()) {
            case Completed -> op.result();
            default -> throw failureOf(op);
        };
    }

    private final Map<Long, Throwable> failures = new ConcurrentHashMap<>();

    private Exception failureOf(Operation op) {
        Throwable t = failures.remove(op.id());
        return t instanceof Exception e ? e : new IllegalStateException(op.errorMessage(), t);
    }

    private void run(Operation op, OperationJob job) {
        try {
            Map<String, Object> result = job.run(op.progress());
            op.completed(result == null ? Map.of() : result);
        } catch (Throwable e) {
            if (Thread.currentThread() != op.thread()) {
                failures.put(op.id(), e); // runHere rethrows it to its caller
            }
            if (op.progress().cancelRequested() && cancellation(e)) {
                op.failed(OperationState.Cancelled, "OperationCancelled", e instanceof OperationCancelledException
                        ? e.getMessage() : "cancelled: " + e.getMessage());
                return;
            }
            ApiException api = ExceptionMapping.toApiException(e);
            String what = "operation " + op.id() + " (" + op.description() + ") failed: " + api.getMessage();
            if (api.error() == dev.blitdb.server.http.errors.ApiError.INTERNAL) {
                LOG.log(System.Logger.Level.ERROR, what, e); // unexpected: keep the stack
            } else {
                LOG.log(System.Logger.Level.WARNING, what);
            }
            op.failed(OperationState.Faulted, api.error().type(), api.getMessage());
        }
    }

    private static boolean cancellation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OperationCancelledException || t instanceof InterruptedException
                    || t instanceof InterruptedIOException || t instanceof ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    public Optional<Operation> find(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Newest first. */
    public List<Operation> list() {
        List<Operation> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparingLong(Operation::id).reversed());
        return all;
    }

    /** Requests cancellation; false when it had already ended. */
    public boolean cancel(Operation op) {
        return op.cancel();
    }

    private void trim() {
        List<Operation> finished = list().stream().filter(o -> o.state().terminal()).toList();
        for (int i = KEEP_FINISHED; i < finished.size(); i++) {
            byId.remove(finished.get(i).id());
        }
    }

    /** Cancels what still runs and waits up to 10 s for it to stop (shut-down). */
    @Override
    public void close() {
        closed = true;
        List<Operation> running = list().stream().filter(o -> !o.state().terminal()).toList();
        running.forEach(Operation::cancel);
        for (Operation op : running) {
            try {
                if (!op.await(10_000)) {
                    LOG.log(System.Logger.Level.WARNING, "operation " + op.id() + " did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
