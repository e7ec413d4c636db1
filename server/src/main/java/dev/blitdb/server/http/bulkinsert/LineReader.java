package dev.blitdb.server.http.bulkinsert;

import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.errors.ApiException;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Splits a request body into lines without holding more of it than one read buffer plus the longest line: the
 * buffer is refilled from the stream as lines are consumed, and grows only for a line longer than itself (up to
 * the document limit, past which the line is refused with 413) — and before it grows, the buffer's new size is
 * announced to a {@link Growth} listener, which charges it to the large-request budget (and may refuse it with
 * 503). After {@link #next()} returns true, the line is
 * {@code buffer()[start(), start() + length())}, without its {@code \n} (or {@code \r\n}); it stays valid until
 * the next call.
 */
public final class LineReader {

    private static final int INITIAL = 256 << 10;

    private final InputStream in;
    private final long maxLine;
    private byte[] buffer = new byte[INITIAL];
    private int pos;      // first byte not yet returned
    private int limit;    // end of the bytes read so far
    private boolean eof;
    private int start;
    private int length;
    private long lineNumber;

    private final Growth growth;

    /** Told before the buffer grows to {@code bytes}; may throw (the line is then not read). */
    @FunctionalInterface
    public interface Growth {
        void growing(long bytes);
    }

    public LineReader(InputStream in, long maxLine) {
        this(in, maxLine, bytes -> {
        });
    }

    public LineReader(InputStream in, long maxLine, Growth growth) {
        this.in = in;
        this.maxLine = maxLine;
        this.growth = growth;
    }

    /** The buffer's size now: what the reader holds, at least the longest line so far. */
    public int capacity() {
        return buffer.length;
    }

    /** Moves to the next line; false at the end of the stream. */
    public boolean next() throws IOException {
        int scan = pos;
        while (true) {
            int at = newline(buffer, scan, limit);
            if (at >= 0) {
                return line(pos, at, at + 1);
            }
            scan = limit;
            if (eof) {
                if (pos < limit) {
                    return line(pos, limit, limit);
                }
                return false;
            }
            if (limit - pos > maxLine) {
                throw new ApiException(ApiError.REQUEST_TOO_LARGE, "document on line " + (lineNumber + 1)
                        + " is longer than " + maxLine + " bytes (the per-document limit, --max-body-size)");
            }
            int shift = pos;
            scan -= shift;
            fill();
        }
    }

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /**
     * Index of the first {@code \n} in {@code b[from, to)}, or -1. Eight bytes at a time (the bytes equal to
     * {@code \n} become zero bytes; the lowest flagged byte of the zero-byte test is the first of them — flags
     * above a true zero can be false, never below one), then byte by byte for the tail.
     */
    static int newline(byte[] b, int from, int to) {
        int i = from;
        for (int last = to - 8; i <= last; i += 8) {
            long x = (long) LONG.get(b, i) ^ NEWLINES;
            long found = (x - LOW_BITS) & ~x & HIGH_BITS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private boolean line(int from, int end, int next) {
        int e = end;
        if (e > from && buffer[e - 1] == '\r') {
            e--;
        }
        start = from;
        length = e - from;
        pos = next;
        lineNumber++;
        return true;
    }

    // Moves the unread tail to the front (or grows the buffer when the tail fills it) and reads more.
    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buffer, pos, buffer, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buffer.length) {
            // Never past the longest acceptable line (+ its "\r\n"): a longer one is refused before growing again.
            int grown = (int) Math.min(Integer.MAX_VALUE - 16, Math.min(buffer.length * 2L, maxLine + 2));
            growth.growing(grown);
            buffer = Arrays.copyOf(buffer, grown);
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    public byte[] buffer() {
        return buffer;
    }

    public int start() {
        return start;
    }

    public int length() {
        return length;
    }

    /** The 1-based number of the current line. */
    public long lineNumber() {
        return lineNumber;
    }

    /** Reads and discards the rest of the stream, so the client can finish sending and read the answer. */
    public void drain() {
        try {
            byte[] sink = buffer;
            while (in.read(sink, 0, sink.length) >= 0) {
                // discard
            }
        } catch (IOException ignored) {
            // the client went away; nothing more to tell it
        }
    }
}
