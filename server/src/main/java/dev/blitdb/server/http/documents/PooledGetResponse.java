package dev.blitdb.server.http.documents;

import dev.blitdb.server.http.pooling.PooledResponse;

import java.nio.ByteBuffer;

/**
 * A fast GET's response buffer (direct, one per instance, the size of the connection pool's buffers) and the
 * callback that takes it back when Undertow's write of it ends: the instance returns to its IO thread's free list,
 * buffer and all, so no pool wrapper is made per GET (lifecycle rules: {@link PooledResponse}).
 */
final class PooledGetResponse extends PooledResponse {

    /** Instances kept per thread beyond the ones in flight; more are made (and dropped) under bursts. */
    static final int MAX_FREE = 64;

    private static final ThreadLocal<FreeList> FREE = ThreadLocal.withInitial(() -> new FreeList(MAX_FREE));
    /** Instances made since start: stays flat under a steady GET stream (DocumentGetFastPathTest checks it). */
    private static final java.util.concurrent.atomic.AtomicLong CREATED = new java.util.concurrent.atomic.AtomicLong();

    private final ByteBuffer buffer;

    private PooledGetResponse(FreeList owner, int bufferSize) {
        super(owner);
        this.buffer = ByteBuffer.allocateDirect(bufferSize);
        CREATED.incrementAndGet();
    }

    static long created() {
        return CREATED.get();
    }

    /** A response with a buffer of {@code bufferSize} bytes, from the calling thread's free list. */
    static PooledGetResponse take(int bufferSize) {
        FreeList list = FREE.get();
        PooledGetResponse r = (PooledGetResponse) list.pop();
        if (r == null || r.buffer.capacity() != bufferSize) {
            r = new PooledGetResponse(list, bufferSize); // a differently sized one (another listener) is dropped
        }
        r.taken();
        return r;
    }

    /** The response buffer; the caller fills and flips it, then sends it with this instance as callback. */
    ByteBuffer buffer() {
        return buffer;
    }

    /** How many instances the calling thread holds ready (for tests). */
    static int freeOnThisThread() {
        return FREE.get().size();
    }
}
