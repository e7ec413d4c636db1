package dev.blitdb.blittable;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Decodes one LZ4 block (FORMAT.md §8) straight from a segment and hands the output on in pieces, through a fixed
 * window: 64 KiB of history (the farthest an LZ4 match may reach back) plus 8 KiB being filled. A compressed string
 * of any length therefore costs 72 KiB, not its raw length, when it is written out. Every bound is checked (a
 * stored document may be corrupt): a block that reads past its end, reaches before its start or does not yield
 * exactly the raw length throws {@link BlitFormatException} (corrupt). Reusable, not thread-safe.
 */
final class Lz4StreamDecoder {
    private static final int HISTORY = 64 << 10;
    private static final int WINDOW = HISTORY + (8 << 10);

    /** Receives decoded bytes; the array is reused once the call returns. */
    @FunctionalInterface
    interface Output {
        void write(byte[] bytes, int from, int length) throws IOException;
    }

    private final byte[] window = new byte[WINDOW];
    private int wp;
    private int emitted;
    private Output out;

    /** Decodes the block at {@code at} ({@code compressedLength} bytes), which must yield {@code rawLength} bytes. */
    void decode(MemorySegment s, long at, int compressedLength, int rawLength, Output to) throws IOException {
        out = to;
        wp = 0;
        emitted = 0;
        try {
            run(s, at, at + compressedLength, rawLength);
            emit();
        } finally {
            out = null;
        }
    }

    private void run(MemorySegment s, long ip, long end, int rawLength) throws IOException {
        long start = ip;
        long produced = 0;
        if (end > s.byteSize()) {
            throw BlitFormatException.corrupt("compressed string runs past its segment", start);
        }
        while (true) {
            if (ip >= end) {
                throw BlitFormatException.corrupt("compressed string ends inside a sequence", ip - start);
            }
            int token = s.get(ValueLayout.JAVA_BYTE, ip++) & 0xFF;
            long literals = token >>> 4;
            if (literals == 15) {
                int b;
                do {
                    if (ip >= end) {
                        throw BlitFormatException.corrupt("compressed string ends inside a length", ip - start);
                    }
                    b = s.get(ValueLayout.JAVA_BYTE, ip++) & 0xFF;
                    literals += b;
                } while (b == 255);
            }
            if (literals > end - ip || produced + literals > rawLength) {
                throw BlitFormatException.corrupt("compressed string's literals overrun (" + literals + " bytes)",
                        ip - start);
            }
            literals(s, ip, (int) literals);
            ip += literals;
            produced += literals;
            if (ip == end) {
                break; // the last sequence has literals only
            }
            if (end - ip < 2) {
                throw BlitFormatException.corrupt("compressed string ends inside a match offset", ip - start);
            }
            int offset = (s.get(ValueLayout.JAVA_BYTE, ip) & 0xFF) | (s.get(ValueLayout.JAVA_BYTE, ip + 1) & 0xFF) << 8;
            ip += 2;
            if (offset == 0 || offset > produced) {
                throw BlitFormatException.corrupt("compressed string's match offset " + offset + " reaches before "
                        + "its start", ip - start);
            }
            long match = token & 15;
            if (match == 15) {
                int b;
                do {
                    if (ip >= end) {
                        throw BlitFormatException.corrupt("compressed string ends inside a length", ip - start);
                    }
                    b = s.get(ValueLayout.JAVA_BYTE, ip++) & 0xFF;
                    match += b;
                } while (b == 255);
            }
            match += 4;
            if (produced + match > rawLength) {
                throw BlitFormatException.corrupt("compressed string yields more than " + rawLength + " bytes",
                        ip - start);
            }
            match(offset, (int) match);
            produced += match;
        }
        if (produced != rawLength) {
            throw BlitFormatException.corrupt("compressed string yields " + produced + " bytes, expected "
                    + rawLength, start);
        }
    }

    private void literals(MemorySegment s, long from, int length) throws IOException {
        while (length > 0) {
            if (wp == WINDOW) {
                slide();
            }
            int k = Math.min(length, WINDOW - wp);
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, from, window, wp, k);
            wp += k;
            from += k;
            length -= k;
        }
    }

    /** Copies {@code length} bytes from {@code offset} back; pieces no longer than the offset never overlap. */
    private void match(int offset, int length) throws IOException {
        while (length > 0) {
            if (wp == WINDOW) {
                slide();
            }
            int k = Math.min(Math.min(length, WINDOW - wp), offset);
            System.arraycopy(window, wp - offset, window, wp, k);
            wp += k;
            length -= k;
        }
    }

    /** Hands on what is not yet out and keeps the last 64 KiB as history. */
    private void slide() throws IOException {
        emit();
        System.arraycopy(window, WINDOW - HISTORY, window, 0, HISTORY);
        wp = HISTORY;
        emitted = HISTORY;
    }

    private void emit() throws IOException {
        if (wp > emitted) {
            out.write(window, emitted, wp - emitted);
            emitted = wp;
        }
    }
}
