package dev.blitdb.server.http.pooling;

import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;

import java.io.IOException;

/**
 * A response sent from an IO thread (its buffers and the callback Undertow calls when the write ends) that returns
 * to that thread's {@link FreeList} when the write completes or fails, so a fast-path answer makes no buffer, pool
 * wrapper or callback per request. A thread needs as many as it has writes in flight (a slow client keeps its
 * response pending while the thread serves others); the list grows to that peak, keeps up to its bound, and then
 * nothing is allocated.
 *
 * <p>Lifecycle rules: Undertow calls exactly one of {@link #onComplete}/{@link #onException} per send, on the
 * connection's IO thread; {@link #release} is idempotent anyway. An instance goes back only to the free list of the
 * thread that took it, and only from that thread (the list is single-threaded); a callback on any other thread, or
 * a write that never reports (a connection torn down under it), just drops the instance for the GC — it costs one
 * allocation later, never a buffer handed out twice.
 */
public abstract class PooledResponse implements IoCallback {

    private final FreeList owner;
    private final Thread ownerThread;
    private boolean inFlight;

    /** Made on (and owned by) the calling thread, whose list {@code owner} is. */
    protected PooledResponse(FreeList owner) {
        this.owner = owner;
        this.ownerThread = Thread.currentThread();
    }

    /** Marks this instance taken (by the subclass's {@code take}); {@link #release} gives it back once. */
    protected final void taken() {
        inFlight = true;
    }

    @Override
    public final void onComplete(HttpServerExchange exchange, Sender sender) {
        release();
        IoCallback.END_EXCHANGE.onComplete(exchange, sender);
    }

    @Override
    public final void onException(HttpServerExchange exchange, Sender sender, IOException exception) {
        release();
        IoCallback.END_EXCHANGE.onException(exchange, sender, exception);
    }

    /**
     * Returns this instance to its thread's list (once per take); called before the exchange ends, which may start
     * the connection's next request on this thread. Also for a response that was not sent.
     */
    public final void release() {
        if (!inFlight) {
            return;
        }
        inFlight = false;
        cleared();
        if (Thread.currentThread() == ownerThread) {
            owner.push(this);
        }
    }

    /** Forgets the response's content before the instance goes back (buffers stay). */
    protected void cleared() {
    }

    /** A bounded stack of ready instances, used by one thread only. */
    public static final class FreeList {
        private final PooledResponse[] items;
        private int size;

        public FreeList(int max) {
            items = new PooledResponse[max];
        }

        /** How many instances are ready. */
        public int size() {
            return size;
        }

        /** A ready instance, or null. */
        public PooledResponse pop() {
            if (size == 0) {
                return null;
            }
            PooledResponse r = items[--size];
            items[size] = null;
            return r;
        }

        void push(PooledResponse r) {
            if (size < items.length) {
                items[size++] = r;
            }
        }
    }
}
