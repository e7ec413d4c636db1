package dev.blitdb.server.http.body;

import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.errors.ApiException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;

/**
 * The server-wide budget of heap bytes that large requests in flight may hold (admission control): a request
 * above {@link RequestBodyReader#CHARGED_ABOVE} takes a grant for an estimate of what it needs before it reads its
 * body, and gives it back when done. When the budget is spent, a request waits up to {@link #WAIT_MILLIS}, then
 * gets {@code 503 ServerBusy} with {@code Retry-After}: the server answers "later" instead of running out of heap
 * (an {@code OutOfMemoryError} would fail every request in flight, not only the newest). A request larger than the
 * whole budget is charged the whole budget, so it runs alone rather than never.
 *
 * <p>The default is a quarter of the maximum heap ({@link #defaultCapacity()}); {@code --large-request-budget}.
 */
public final class LargeRequestBudget {

    /** How long a request waits for room before it is told to come back. */
    public static final long WAIT_MILLIS = 5_000;
    /** The {@code Retry-After} a refused request is given, in seconds. */
    public static final int RETRY_AFTER_SECONDS = 1;
    private static final HttpString RETRY_AFTER = new HttpString("Retry-After");

    private final long capacity;
    private long used;
    private long refused;

    public LargeRequestBudget(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the large-request budget must be at least 1 byte, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** A quarter of the maximum heap: room for the rest of the server (caches, small requests, Lucene). */
    public static long defaultCapacity() {
        return Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 4);
    }

    public long capacity() {
        return capacity;
    }

    /** Bytes granted to requests in flight now. */
    public synchronized long inUse() {
        return used;
    }

    /** Requests refused with 503 since start. */
    public synchronized long refused() {
        return refused;
    }

    /** Bytes held for one request; {@link #close()} gives them back (once). */
    public final class Grant implements AutoCloseable {
        private long bytes;

        private Grant(long bytes) {
            this.bytes = bytes;
        }

        public long bytes() {
            return bytes;
        }

        /** Raises this grant to {@code total} bytes (a chunked body that keeps growing), waiting as acquire does. */
        public void growTo(long total, HttpServerExchange exchange) {
            long more = Math.min(total, capacity) - bytes;
            if (more > 0) {
                take(more, exchange);
                bytes += more;
            }
        }

        @Override
        public void close() {
            if (bytes > 0) {
                release(bytes);
                bytes = 0;
            }
        }
    }

    /** Takes {@code bytes} (at most the whole budget), waiting briefly; throws the 503 when there is no room. */
    public Grant acquire(long bytes, HttpServerExchange exchange) {
        long charge = Math.min(Math.max(bytes, 0), capacity);
        take(charge, exchange);
        return new Grant(charge);
    }

    private void take(long bytes, HttpServerExchange exchange) {
        ApiException busy = reserve(bytes);
        if (busy != null) {
            if (exchange == null) {
                throw busy;
            }
            exchange.getResponseHeaders().put(RETRY_AFTER, RETRY_AFTER_SECONDS);
            // The client may be sending its body: answer first, then discard it (bounded), as for a 413. Not while
            // holding the monitor: that takes time.
            throw LingeringClose.answerThenDrain(exchange, busy);
        }
    }

    /** Takes {@code bytes}, waiting up to {@link #WAIT_MILLIS}; returns the refusal (nothing taken) on time-out. */
    private synchronized ApiException reserve(long bytes) {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (used + bytes > capacity) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                refused++;
                return new ApiException(ApiError.SERVER_BUSY, "the server is busy with other large requests ("
                        + used + " of " + capacity + " bytes of --large-request-budget in use, this request needs "
                        + bytes + "); retry after " + RETRY_AFTER_SECONDS + " s");
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ApiException(ApiError.SERVER_BUSY, "interrupted while waiting for room for a large request");
            }
        }
        used += bytes;
        return null;
    }

    private synchronized void release(long bytes) {
        used -= bytes;
        notifyAll();
    }
}
