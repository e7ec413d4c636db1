package dev.blitdb.blittable;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@link JsonSink} that copies into a {@link ByteBuffer} (heap or direct, e.g. a pooled HTTP response buffer).
 * When the buffer is full it calls {@link Refill#next(ByteBuffer)}, which sends or queues the full buffer and
 * returns the buffer to continue in (the same one, cleared, is fine). After the JSON is written, the bytes not yet
 * handed on are in {@link #buffer()}, between 0 and its position, as with any buffer being filled.
 *
 * <p>One instance can serve many responses: {@link #reset(ByteBuffer)} points it at the next response's first
 * buffer, so a thread that keeps one sink writes responses without allocating.
 */
public final class ByteBufferSink implements JsonSink {

    /** Supplies the next buffer when the current one is full. */
    @FunctionalInterface
    public interface Refill {
        /** {@code full} has no remaining space; send it and return a buffer with space remaining. */
        ByteBuffer next(ByteBuffer full) throws IOException;
    }

    private ByteBuffer buffer;
    private final Refill refill;

    public ByteBufferSink(ByteBuffer first, Refill refill) {
        this.buffer = first;
        this.refill = refill;
    }

    /** Starts over in {@code first} (the next response), keeping the refill; returns this sink. */
    public ByteBufferSink reset(ByteBuffer first) {
        this.buffer = first;
        return this;
    }

    /** The buffer currently being filled. */
    public ByteBuffer buffer() {
        return buffer;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (!buffer.hasRemaining()) {
                ByteBuffer next = refill.next(buffer);
                if (next == null || !next.hasRemaining()) {
                    throw new IOException("refill returned no buffer with space remaining");
                }
                buffer = next;
            }
            int n = Math.min(length, buffer.remaining());
            buffer.put(bytes, offset, n);
            offset += n;
            length -= n;
        }
    }
}
