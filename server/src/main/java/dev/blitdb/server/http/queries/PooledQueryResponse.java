package dev.blitdb.server.http.queries;

import dev.blitdb.indexing.execution.WouldBlockException;
import dev.blitdb.server.http.pooling.PooledResponse;
import io.undertow.io.Sender;

import java.nio.ByteBuffer;

/**
 * An inline query answer's buffers (up to {@link #MAX_BUFFERS} direct ones of the connection's buffer size, made
 * when an answer first needs them and kept) and the callback that takes them back when Undertow's write ends: the
 * instance returns to its IO thread's free list, buffers and all, so an answer allocates no pool wrapper, no array
 * of buffers and no callback (lifecycle rules: {@link PooledResponse}).
 */
final class PooledQueryResponse extends PooledResponse {

    /** Buffers an inline answer may fill; a larger answer streams from a worker. */
    static final int MAX_BUFFERS = 8;
    /**
     * Instances kept per thread beyond the ones in flight. Each holds as many buffers as its largest answer used
     * (at most 8 × 16 KiB), so the bound keeps an IO thread's idle buffers to 2 MiB at worst.
     */
    static final int MAX_FREE = 16;

    private static final ThreadLocal<FreeList> FREE = ThreadLocal.withInitial(() -> new FreeList(MAX_FREE));
    /** Instances made since start: stays flat under a steady query stream (QueryFastPathTest checks it). */
    private static final java.util.concurrent.atomic.AtomicLong CREATED = new java.util.concurrent.atomic.AtomicLong();

    private final int bufferSize;
    private final ByteBuffer[] buffers = new ByteBuffer[MAX_BUFFERS];
    /** {@code prefixes[n]}: the first n buffers, the array a gathering send of n buffers takes. */
    private final ByteBuffer[][] prefixes = new ByteBuffer[MAX_BUFFERS + 1][];
    private int used;

    private PooledQueryResponse(FreeList owner, int bufferSize) {
        super(owner);
        this.bufferSize = bufferSize;
        CREATED.incrementAndGet();
    }

    static long created() {
        return CREATED.get();
    }

    /** An empty response of buffers of {@code bufferSize} bytes, from the calling thread's free list. */
    static PooledQueryResponse take(int bufferSize) {
        FreeList list = FREE.get();
        PooledQueryResponse r = (PooledQueryResponse) list.pop();
        if (r == null || r.bufferSize != bufferSize) {
            r = new PooledQueryResponse(list, bufferSize); // a differently sized one (another listener) is dropped
        }
        r.used = 0;
        r.taken();
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
        return FREE.get().size();
    }

    @Override
    protected void cleared() {
        used = 0;
    }
}
