package dev.blitdb.server.http.queries;

import dev.blitdb.indexing.execution.WouldBlockException;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An inline query answer's buffers (up to {@link #MAX_BUFFERS} direct ones of the connection's buffer size, made
 * when an answer first needs them and kept) and the callback that takes them back when Undertow's write completes
 * or fails: the instance returns to its IO thread's free list, buffers and all, so an answer allocates no pool
 * wrapper, no array of buffers and no callback. As for GET ({@code PooledGetResponse}), a thread holds as many as
 * it has writes in flight; the list keeps {@link #MAX_FREE} and drops the rest for the GC.
 *
 * <p>Lifecycle rules: Undertow calls exactly one of {@link #onComplete}/{@link #onException} per send, on the
 * connection's IO thread; the release is idempotent anyway. An instance goes back only to the free list of the
 * thread that took it, and only from that thread; a callback on another thread, or a write that never reports,
 * just drops it — one allocation later, never a buffer handed out twice.
 */
final class PooledQueryResponse implements IoCallback {

    /** Buffers an inline answer may fill; a larger answer streams from a worker. */
    static final int MAX_BUFFERS = 8;
    /**
     * Instances kept per thread beyond the ones in flight. Each holds as many buffers as its largest answer used
     * (at most 8 × 16 KiB), so the bound keeps an IO thread's idle buffers to 2 MiB at worst.
     */
    static final int MAX_FREE = 16;

    private static final ThreadLocal<FreeList> FREE = ThreadLocal.withInitial(FreeList::new);
    /** Instances made since start: stays flat under a steady query stream (QueryFastPathTest checks it). */
    private static final java.util.concurrent.atomic.AtomicLong CREATED = new java.util.concurrent.atomic.AtomicLong();

    private final FreeList owner;
    private final Thread ownerThread;
    private final int bufferSize;
    private final ByteBuffer[] buffers = new ByteBuffer[MAX_BUFFERS];
    /** {@code prefixes[n]}: the first n buffers, the array a gathering send of n buffers takes. */
    private final ByteBuffer[][] prefixes = new ByteBuffer[MAX_BUFFERS + 1][];
    private int used;
    private boolean inFlight;

    private PooledQueryResponse(FreeList owner, int bufferSize) {
        this.owner = owner;
        this.ownerThread = Thread.currentThread();
        this.bufferSize = bufferSize;
        CREATED.incrementAndGet();
    }

    static long created() {
        return CREATED.get();
    }

    /** An empty response of buffers of {@code bufferSize} bytes, from the calling thread's free list. */
    static PooledQueryResponse take(int bufferSize) {
        FreeList list = FREE.get();
        PooledQueryResponse r = list.size > 0 ? list.pop() : null;
        if (r == null || r.bufferSize != bufferSize) {
            r = new PooledQueryResponse(list, bufferSize); // a differently sized one (another listener) is dropped
        }
        r.used = 0;
        r.inFlight = true;
        return r;
    }

    /** The next empty buffer of the answer; "would block" when the answer outgrows the buffers. */
    ByteBuffer next() {
        if (used == MAX_BUFFERS) {
            throw WouldBlockException.INSTANCE; // too big for an inline answer
        }
        ByteBuffer b = buffers[used];
        if (b == null) {
            b = ByteBuffer.allocateDirect(bufferSize);
            buffers[used] = b;
        }
        used++;
        return b.clear();
    }

    /** Flips the filled buffers for sending; returns their total length (the Content-Length). */
    long flip() {
        long length = 0;
        for (int i = 0; i < used; i++) {
            length += buffers[i].flip().remaining();
        }
        return length;
    }

    /** Sends the flipped answer with this instance as the callback, which ends the exchange. */
    void send(Sender sender) {
        if (used == 1) {
            sender.send(buffers[0], this);
            return;
        }
        ByteBuffer[] all = prefixes[used];
        if (all == null) {
            all = new ByteBuffer[used];
            System.arraycopy(buffers, 0, all, 0, used);
            prefixes[used] = all;
        }
        sender.send(all, this);
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
     * the connection's next request on this thread. Also for an answer that was not sent.
     */
    void release() {
        if (!inFlight) {
            return;
        }
        inFlight = false;
        used = 0;
        if (Thread.currentThread() == ownerThread) {
            owner.push(this);
        }
    }

    /** A bounded stack, used by one thread only. */
    private static final class FreeList {
        private final PooledQueryResponse[] items = new PooledQueryResponse[MAX_FREE];
        private int size;

        PooledQueryResponse pop() {
            PooledQueryResponse r = items[--size];
            items[size] = null;
            return r;
        }

        void push(PooledQueryResponse r) {
            if (size < items.length) {
                items[size++] = r;
            }
        }
    }
}
