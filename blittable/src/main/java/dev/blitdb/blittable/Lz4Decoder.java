package dev.blitdb.blittable;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decodes one LZ4 block (FORMAT.md §8) straight from a segment, with wide copies: literals and matches move 8 bytes
 * at a time (long reads from the segment, long writes into the array) where the write limit leaves room to copy a
 * little past the end ("wild" copies, overwritten by what follows), long matches and anything near the end go as
 * bulk copies, and a match that overlaps itself (offset shorter than its length) is replicated: a short offset is
 * widened into an 8-byte pattern, a long run is copied in doubling pieces. No per-byte loop, nothing allocated.
 *
 * <p>Every bound is checked, because a stored document may be corrupt: a block that ends inside a sequence, whose
 * literals run past its end, whose match reaches before its start or that does not yield exactly the raw length
 * throws {@link BlitFormatException} (corrupt) with the position in the block; no read goes past the block's
 * segment and no write past the caller's limit.
 *
 * <p>Two ways out: {@link #decode} fills an array, and an instance streams a block of any length through a fixed
 * window — 64 KiB of history (the farthest a match reaches back) plus 8 KiB being filled — handing the output on
 * in pieces ({@link #stream}). Instances are reusable, not thread-safe.
 */
final class Lz4Decoder {
    private static final int HISTORY = 64 << 10;
    private static final int WINDOW = HISTORY + (8 << 10);
    /** Matches up to this long (and literals up to {@link #SHORT_LITERALS}) use wild long copies. */
    private static final int SHORT_MATCH = 32;
    private static final int SHORT_LITERALS = 32;
    /** Room the fast path needs: 16 literal bytes, then up to 14 literals plus a 24-byte match copy. */
    private static final int FAST_ROOM = 14 + 24 + 2;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong SEGMENT_LONG = ValueLayout.JAVA_LONG_UNALIGNED
            .withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SEGMENT_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED
            .withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Per offset below 8: the smallest multiple of the offset that is at least 8 (a pattern's step). */
    private static final int[] PATTERN_STEP = {0, 8, 8, 9, 8, 10, 12, 14};

    /** Receives decoded bytes; the array is reused once the call returns. */
    @FunctionalInterface
    interface Output {
        void write(byte[] bytes, int from, int length) throws IOException;
    }

    /**
     * Blocks in heap segments are decoded from a native copy: the loop then only ever reads native memory (mapped
     * pages are native too), so the JIT compiles it for that one kind. Reading heap and native segments through
     * the same code halves its speed, measured (Lz4DecodeCpuTime), because each access must then handle both.
     */
    private static final class NativeCopy {
        private MemorySegment scratch = MemorySegment.NULL;

        MemorySegment of(MemorySegment heap, long at, int length) {
            if (at < 0 || length < 0 || at + length > heap.byteSize()) {
                throw BlitFormatException.corrupt("compressed string runs past its segment", at);
            }
            if (scratch.byteSize() < length) {
                scratch = Arena.ofAuto().allocate(Math.max(length, Math.max(4096, scratch.byteSize() * 2)));
            }
            MemorySegment.copy(heap, at, scratch, 0, length);
            return scratch; // the block is its first length bytes; no slice, which would allocate
        }
    }

    private static final ThreadLocal<NativeCopy> NATIVE_COPY = ThreadLocal.withInitial(NativeCopy::new);

    private final NativeCopy nativeCopy = new NativeCopy();
    private final byte[] window = new byte[WINDOW];
    private int emitted;
    private Output out;

    /**
     * Decodes the block at {@code at} ({@code compressedLength} bytes) into {@code dst[off, off + rawLength)}.
     * Bytes of {@code dst} in {@code [off + rawLength, writeLimit)} may be overwritten with scratch (pass
     * {@code off + rawLength} to keep them). Throws {@link BlitFormatException} (corrupt) unless the block yields
     * exactly {@code rawLength} bytes.
     */
    static void decode(MemorySegment s, long at, int compressedLength, int rawLength, byte[] dst, int off,
            int writeLimit) {
        if (off < 0 || rawLength < 0 || writeLimit > dst.length || off + rawLength > writeLimit) {
            throw new IndexOutOfBoundsException("no room for " + rawLength + " bytes at " + off + " of "
                    + dst.length);
        }
        if (!s.isNative()) {
            s = NATIVE_COPY.get().of(s, at, compressedLength);
            at = 0;
        }
        try {
            run(s, at, compressedLength, rawLength, dst, off, writeLimit, null);
        } catch (IOException e) {
            throw new AssertionError("an array decode has no output to fail", e);
        }
    }

    /**
     * Decodes the block at {@code at} ({@code compressedLength} bytes), which must yield {@code rawLength} bytes,
     * and hands the output to {@code to} in pieces of at most the window.
     */
    void stream(MemorySegment s, long at, int compressedLength, int rawLength, Output to) throws IOException {
        out = to;
        emitted = 0;
        if (!s.isNative()) {
            s = nativeCopy.of(s, at, compressedLength);
            at = 0;
        }
        try {
            int wp = run(s, at, compressedLength, rawLength, window, 0, WINDOW, this);
            emit(wp);
        } finally {
            out = null;
        }
    }

    /**
     * The one decoding loop. Writes from {@code op} up to (at most) {@code limit}; when {@code stream} is not null
     * and a sequence does not fit before the limit, the stream slides its window. Returns the final write index.
     */
    private static int run(MemorySegment s, long at, int compressedLength, int rawLength, byte[] dst, int op,
            int limit, Lz4Decoder stream) throws IOException {
        long sEnd = s.byteSize();
        long end = at + compressedLength;
        if (at < 0 || compressedLength < 0 || end > sEnd) {
            throw BlitFormatException.corrupt("compressed string runs past its segment", at);
        }
        // A match may reach back to floor: the block's first output byte. A stream's window always holds at least
        // 64 KiB of history after a slide, so floor 0 stays right there.
        final int floor = op;
        long ip = at;
        int remaining = rawLength;
        while (true) {
            if (ip >= end) {
                throw bad("compressed string ends inside a sequence", ip, at, compressedLength);
            }
            int token = s.get(ValueLayout.JAVA_BYTE, ip++) & 0xFF;
            int literals = token >>> 4;
            // The common sequence: under 15 literals, a match of under 19 bytes, room to copy wide on both sides.
            if (literals < 15 && (token & 15) < 15 && op + FAST_ROOM <= limit && ip + 16 <= sEnd
                    && literals + 2 <= end - ip && literals < remaining) {
                LONGS.set(dst, op, s.get(SEGMENT_LONG, ip));
                LONGS.set(dst, op + 8, s.get(SEGMENT_LONG, ip + 8));
                op += literals;
                ip += literals;
                remaining -= literals;
                int offset = s.get(SEGMENT_SHORT, ip) & 0xFFFF;
                ip += 2;
                int match = (token & 15) + 4;
                if (offset == 0 || offset > op - floor) {
                    throw bad("compressed string's match offset " + offset + " reaches before its start", ip, at,
                            compressedLength);
                }
                if (match > remaining) {
                    throw bad("compressed string yields more than " + rawLength + " bytes", ip, at,
                            compressedLength);
                }
                if (offset >= 8) {
                    int src = op - offset;
                    LONGS.set(dst, op, (long) LONGS.get(dst, src));
                    LONGS.set(dst, op + 8, (long) LONGS.get(dst, src + 8));
                    LONGS.set(dst, op + 16, (long) LONGS.get(dst, src + 16));
                } else {
                    shortMatch(dst, op, offset, match);
                }
                op += match;
                remaining -= match;
                continue;
            }
            if (literals == 15) {
                int b;
                do {
                    if (ip >= end) {
                        throw bad("compressed string ends inside a length", ip, at, compressedLength);
                    }
                    b = s.get(ValueLayout.JAVA_BYTE, ip++) & 0xFF;
                    literals += b;
                } while (b == 255 && literals <= rawLength);
            }
            if (literals > end - ip || literals > remaining) {
                throw bad("compressed string's literals overrun (" + literals + " bytes)", ip, at, compressedLength);
            }
            if (literals <= SHORT_LITERALS && op + SHORT_LITERALS <= limit && ip + SHORT_LITERALS <= sEnd) {
                for (int i = 0; i < literals; i += 8) {
                    LONGS.set(dst, op + i, s.get(SEGMENT_LONG, ip + i));
                }
                op += literals;
            } else if (op + literals <= limit) {
                MemorySegment.copy(s, ValueLayout.JAVA_BYTE, ip, dst, op, literals);
                op += literals;
            } else {
                op = stream.literals(s, ip, literals, op);
            }
            ip += literals;
            remaining -= literals;
            if (ip == end) {
                break; // the last sequence has literals only
            }
            if (end - ip < 2) {
                throw bad("compressed string ends inside a match offset", ip, at, compressedLength);
            }
            int offset = s.get(SEGMENT_SHORT, ip) & 0xFFFF;
            ip += 2;
            if (offset == 0 || offset > op - floor) {
                throw bad("compressed string's match offset " + offset + " reaches before its start", ip, at,
                        compressedLength);
            }
            int match = token & 15;
            if (match == 15) {
                int b;
                do {
                    if (ip >= end) {
                        throw bad("compressed string ends inside a length", ip, at, compressedLength);
                    }
                    b = s.get(ValueLayout.JAVA_BYTE, ip++) & 0xFF;
                    match += b;
                } while (b == 255 && match <= rawLength);
            }
            match += 4;
            if (match > remaining) {
                throw bad("compressed string yields more than " + rawLength + " bytes", ip, at, compressedLength);
            }
            if (match <= SHORT_MATCH && op + SHORT_MATCH <= limit) {
                shortMatch(dst, op, offset, match);
                op += match;
            } else if (op + match <= limit) {
                longMatch(dst, op, offset, match);
                op += match;
            } else {
                op = stream.match(offset, match, op);
            }
            remaining -= match;
        }
        if (remaining != 0) {
            throw BlitFormatException.corrupt("compressed string yields " + (rawLength - remaining)
                    + " bytes, expected " + rawLength, at);
        }
        return op;
    }

    /** The block starts at {@code at}; the message says where in it the fault is. */
    private static BlitFormatException bad(String what, long ip, long at, int compressedLength) {
        return BlitFormatException.corrupt(what + " at byte " + (ip - at) + " of its " + compressedLength
                + "-byte block", at);
    }

    /** A match of at most {@link #SHORT_MATCH} bytes with room for 32 bytes at {@code op}: longs, never bytes. */
    private static void shortMatch(byte[] d, int op, int offset, int length) {
        int src = op - offset;
        if (offset >= 8) {
            // Each long read ends at or before the write that precedes it, so it reads final bytes only.
            for (int i = 0; i < length; i += 8) {
                LONGS.set(d, op + i, (long) LONGS.get(d, src + i));
            }
            return;
        }
        // Widen the offset bytes into a pattern of 8; then [src, op + 8) repeats with that period, and a long
        // read a multiple of the period (>= 8) back continues it.
        long p = (long) LONGS.get(d, src) & (-1L >>> (64 - 8 * offset));
        for (int shift = 8 * offset; shift < 64; shift <<= 1) {
            p |= p << shift;
        }
        LONGS.set(d, op, p);
        int step = PATTERN_STEP[offset];
        for (int i = 8; i < length; i += 8) {
            LONGS.set(d, op + i, (long) LONGS.get(d, op + i - step));
        }
    }

    /**
     * A match copied exactly ({@code [op, op + length)} only): pieces from the fixed source start, each as long as
     * the distance already covered — a multiple of the offset, so the copy continues the repeat — which doubles
     * per piece; pieces never overlap, so {@code arraycopy}'s move semantics do not matter.
     */
    private static void longMatch(byte[] d, int op, int offset, int length) {
        int src = op - offset;
        int pos = op;
        int end = op + length;
        while (pos < end) {
            int k = Math.min(end - pos, pos - src);
            System.arraycopy(d, src, d, pos, k);
            pos += k;
        }
    }

    // ---- streaming: sequences that cross the window's end ----

    private int literals(MemorySegment s, long from, int length, int wp) throws IOException {
        while (length > 0) {
            if (wp == WINDOW) {
                wp = slide(wp);
            }
            int k = Math.min(length, WINDOW - wp);
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, from, window, wp, k);
            wp += k;
            from += k;
            length -= k;
        }
        return wp;
    }

    private int match(int offset, int length, int wp) throws IOException {
        while (length > 0) {
            if (wp == WINDOW) {
                wp = slide(wp);
            }
            int k = Math.min(length, WINDOW - wp);
            longMatch(window, wp, offset, k);
            wp += k;
            length -= k;
        }
        return wp;
    }

    /** Hands on what is not yet out and keeps the last 64 KiB as history; returns the new write index. */
    private int slide(int wp) throws IOException {
        emit(wp);
        System.arraycopy(window, WINDOW - HISTORY, window, 0, HISTORY);
        emitted = HISTORY;
        return HISTORY;
    }

    private void emit(int wp) throws IOException {
        if (wp > emitted) {
            out.write(window, emitted, wp - emitted);
            emitted = wp;
        }
    }
}
