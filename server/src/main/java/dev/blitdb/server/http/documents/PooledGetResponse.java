package dev.blitdb.server.http.documents;

import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A fast GET's response buffer (direct, one per instance, the size of the connection pool's buffers) and the
 * callback that takes it back when Undertow's write of it completes or fails: the instance returns to its IO
 * thread's free list, buffer and all, so no pool wrapper is made per GET. One is taken per GET and comes back when
 * the write ends, so a thread needs as many as it has writes in flight (a slow client keeps its response pending
 * while the thread serves others) — the free list grows to that peak and then allocates nothing.
 *
 * <p>Lifecycle rules: Undertow calls exactly one of {@link #onComplete}/{@link #onException} per send, on the
 * connection's IO thread; the release is idempotent anyway. An instance goes back only to the free list of the
 * thread that took it, and only from that thread (the list is single-threaded); a callback on any other thread,
 * or a write that never reports (a connection torn down under it), just drops the instance for the GC — it costs
 * one allocation later, never a buffer handed out twice.
 */
final class PooledGetResponse implements IoCallback {

    /** Instances kept per thread beyond the ones in flight; more are made (and dropped) under bursts. */
    static final int MAX_FREE = 64;

    private static final ThreadLocal<FreeList> FREE = ThreadLocal.withInitial(FreeList::new);
    /** Instances made since start: stays flat under a steady GET stream (DocumentGetFastPathTest checks it). */
    private static final java.util.concurrent.atomic.AtomicLong CREATED = new java.util.concurrent.atomic.AtomicLong();

    private final FreeList owner;
    private final Thread ownerThread;
    private final ByteBuffer buffer;
    private boolean inFlight;

    private PooledGetResponse(FreeList owner, int bufferSize) {
        this.owner = owner;
        this.ownerThread = Thread.currentThread();
        this.buffer = ByteBuffer.allocateDirect(bufferSize);
        CREATED.incrementAndGet();
    }

    static long created() {
        return CREATED.get();
    }

    /** A response with a buffer of {@code bufferSize} bytes, from the calling thread's free list. */
    static PooledGetResponse take(int bufferSize) {
        FreeList list = FREE.get();
        PooledGetResponse r = list.size > 0 ? list.pop() : null;
        if (r == null || r.buffer.capacity() != bufferSize) {
            r = new PooledGetResponse(list, bufferSize); // a differently sized one (another listener) is dropped
        }
        r.inFlight = true;
        return r;
    }

    /** The response buffer; the caller fills and flips it, then sends it with this instance as callback. */
    ByteBuffer buffer() {
        return buffer;
    }

    /** How many instances the calling thread holds ready (for tests). */
    static int freeOnThisThread() {
        return FREE.get().size;
    }

    @Override
    public void onComplete(HttpServerExchange exchange, Sender sender) {
        release();
        IoCallback.END_EXCHANGE.onComplete(exchange, sender);
    }

    @Override
    public void onException(HttpServerExchange exchange, Sender sender, IOException exception) {
        release();
        IoCallback.END_EXCHANGE.onException(exchange, sender, exception);
    }

    /**
     * Returns this instance to its thread's list (once per take); called before the exchange ends, which may start
     * the connection's next request on this thread. Also for a response that was not sent.
     */
    void release() {
        if (!inFlight) {
            return;
        }
        inFlight = false;
        if (Thread.currentThread() == ownerThread) {
            owner.push(this);
        }
    }

    /** A bounded stack, used by one thread only. */
    private static final class FreeList {
        private final PooledGetResponse[] items = new PooledGetResponse[MAX_FREE];
        private int size;

        PooledGetResponse pop() {
            PooledGetResponse r = items[--size];
            items[size] = null;
            return r;
        }

        void push(PooledGetResponse r) {
            if (size < items.length) {
                items[size++] = r;
            }
        }
    }
}
