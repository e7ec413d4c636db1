package dev.blitdb.client.operations;

import dev.blitdb.client.exceptions.BlitDbTimeoutException;
import dev.blitdb.client.exceptions.OperationFailedException;
import dev.blitdb.client.http.HttpCall;
import dev.blitdb.client.http.RequestExecutor;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Follows the server's long-running operations ({@code /operations}): get one, list them, cancel one, or wait
 * for one to end with a progress callback. Thread-safe.
 */
public final class ServerOperationsTracker {

    private static final long POLL_MILLIS = 100;
    private final RequestExecutor executor;

    public ServerOperationsTracker(RequestExecutor executor) {
        this.executor = executor;
    }

    public OperationStatus get(long id) {
        return ProtocolJson.read(ProtocolJson.tree(executor.execute(HttpCall.get("/operations/" + id)).body()),
                OperationStatus.class);
    }

    /** Recent operations, newest first. */
    public List<OperationStatus> list() {
        return ProtocolJson.list(executor.execute(HttpCall.get("/operations")).body(), "Operations",
                OperationStatus.class);
    }

    /** Asks the server to cancel operation {@code id}; it ends {@code Cancelled} shortly after. */
    public void cancel(long id) {
        executor.execute(HttpCall.of("POST", "/operations/" + id + "/cancel", null, false));
    }

    /** {@link #waitForCompletion(long, Duration, Consumer)} without a progress callback. */
    public OperationStatus waitForCompletion(long id, Duration timeout) {
        return waitForCompletion(id, timeout, s -> { });
    }

    /**
     * Polls operation {@code id} (every 100 ms) until it ends, calling {@code onProgress} with each status seen
     * (the last one included).
     *
     * @return the final status, {@code Completed}
     * @throws OperationFailedException when it ended {@code Faulted} or {@code Cancelled}
     * @throws BlitDbTimeoutException   when it is still running after {@code timeout} (it keeps running)
     */
    public OperationStatus waitForCompletion(long id, Duration timeout, Consumer<OperationStatus> onProgress) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (; ; ) {
            OperationStatus s = get(id);
            onProgress.accept(s);
            if (s.ended()) {
                if (!"Completed".equals(s.state())) {
                    throw new OperationFailedException(s);
                }
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new BlitDbTimeoutException("operation " + id + " (" + s.kind() + ") still running after "
                        + timeout + " at " + s.progress().percent() + "%", null);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BlitDbTimeoutException("interrupted while waiting for operation " + id, e);
            }
        }
    }
}
