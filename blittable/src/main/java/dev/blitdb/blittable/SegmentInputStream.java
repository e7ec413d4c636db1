package dev.blitdb.blittable;

import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads a segment (e.g. a request body spooled to mapped scratch space) as a stream, so a streaming parser needs
 * only its own small buffer, never a heap copy of the whole text. Not thread-safe.
 */
public final class SegmentInputStream extends InputStream {
    private final MemorySegment s;
    private long p;

    public SegmentInputStream(MemorySegment s) {
        this.s = s;
    }

    @Override
    public int read() {
        return p < s.byteSize() ? s.get(ValueLayout.JAVA_BYTE, p++) & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        long left = s.byteSize() - p;
        if (len == 0) {
            return 0;
        }
        if (left <= 0) {
            return -1;
        }
        int k = (int) Math.min(len, left);
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, p, b, off, k);
        p += k;
        return k;
    }

    @Override
    public long skip(long n) {
        long k = Math.max(0, Math.min(n, s.byteSize() - p));
        p += k;
        return k;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, s.byteSize() - p);
    }
}
