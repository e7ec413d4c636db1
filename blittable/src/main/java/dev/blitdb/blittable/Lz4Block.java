package dev.blitdb.blittable;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A small LZ4 block compressor (FORMAT.md §8 — standard LZ4 block format, decoded by {@link Lz4Decoder}; lz4-java's
 * decoder reads its blocks too, {@code Lz4BlockTest}). Why not lz4-java's compressor: it allocates and clears a
 * 16 KiB hash table per call, which for the many 129-byte-to-few-KiB strings of a document cost more than the
 * compression itself. This one keeps a 4096-entry table across calls and invalidates old entries by an epoch
 * offset instead of clearing, and gives up as soon as the output can no longer be {@code minSaving} bytes smaller
 * than the input, or when the first {@link #GIVE_UP_WITHOUT_MATCH} bytes hold no repeat at all.
 *
 * <p>Greedy, one hash probe per position, shaped as the reference LZ4 fast loop: the next position's hash is
 * computed while the current one is probed, a match found is extended backwards over equal literals, and after
 * each match the position two bytes before its end is hashed and the position right after it is probed at once
 * (a run of back-to-back matches never goes through the literal search). Short literal runs are copied 8 bytes
 * at a time (the output array has the slack the {@code dst} contract gives).
 *
 * <p>Block rules kept (so any LZ4 decoder accepts the output): matches are at least 4 bytes, at most 65,535 back,
 * start no later than 12 bytes before the end and end no later than 5 bytes before it; the block ends with
 * literals. The heap and the segment variants make the same decisions, so their output is byte for byte equal
 * ({@code Lz4BlockTest}). Not thread-safe: one per writer.
 */
final class Lz4Block {
    private static final int MIN_MATCH = 4;
    private static final int MF_LIMIT = 12;
    private static final int LAST_LITERALS = 5;
    private static final int MAX_DISTANCE = 65535;
    private static final int HASH_BITS = 12;
    /** After this many missed probes in a row the search steps 2 bytes, after twice as many 3, … (as LZ4's). */
    private static final int SKIP_TRIGGER = 6;
    /** Gives up when the first this many bytes hold no 4-byte repeat (FORMAT.md §8). */
    static final int GIVE_UP_WITHOUT_MATCH = 160;
    /**
     * The smallest epoch: an entry left from an earlier call (or a cleared 0) then always lies more than
     * {@link #MAX_DISTANCE} behind any position of this call, so the distance check alone rejects it.
     */
    private static final int FIRST_EPOCH = MAX_DISTANCE + 2;

    private final int[] table = new int[1 << HASH_BITS];
    /** Added to every stored position; moving it past all old entries invalidates them without clearing. */
    private int epoch = FIRST_EPOCH;

    private static int hash(int seq) {
        return (seq * -1640531535) >>> (32 - HASH_BITS);
    }

    /** The base of this call's table entries ({@code entry = position + base}); moves the epoch on. */
    private int begin(int len, long off) {
        if (epoch > Integer.MAX_VALUE - len - MAX_DISTANCE - 2) {
            Arrays.fill(table, 0);
            epoch = FIRST_EPOCH;
        }
        int base = epoch - (int) off;
        epoch += len + MAX_DISTANCE + 1;
        return base;
    }

    /**
     * Compresses {@code src[off, off + len)} into {@code dst} from index 0 ({@code dst} must hold
     * {@code len + len / 255 + 16} bytes). Returns the compressed length, or -1 when the result would not be at
     * least {@code minSaving} bytes smaller than {@code len}.
     */
    int compress(byte[] src, int off, int len, byte[] dst, int minSaving) {
        int maxOut = len - minSaving;
        if (maxOut <= 0) {
            return -1;
        }
        int[] table = this.table;
        int base = begin(len, off);
        int end = off + len;
        int mfLimit = end - MF_LIMIT; // the last position a match may start at
        int matchLimit = end - LAST_LITERALS;
        int giveUpAt = off + GIVE_UP_WITHOUT_MATCH;
        int op = 0;
        int anchor = off;
        int ip = off;
        if (len > MF_LIMIT) {
            table[hash(read32(src, ip))] = ip + base;
            ip++;
            search:
            while (true) {
                // Find a match: probe ip while hashing the next position; step up after misses.
                int attempts = 1 << SKIP_TRIGGER;
                int next = ip;
                int nextSeq = read32(src, next);
                int ref;
                while (true) {
                    ip = next;
                    int seq = nextSeq;
                    int h = hash(seq);
                    next = ip + (attempts++ >>> SKIP_TRIGGER);
                    ref = table[h] - base;
                    table[h] = ip + base;
                    if (ip - ref <= MAX_DISTANCE && read32(src, ref) == seq) {
                        break;
                    }
                    if (next > mfLimit) {
                        break search;
                    }
                    if (op == 0 && ip >= giveUpAt) {
                        return -1; // no repeat at all in the first bytes: text like this rarely pays off
                    }
                    nextSeq = read32(src, next);
                }
                while (ip > anchor && ref > off && src[ip - 1] == src[ref - 1]) {
                    ip--;
                    ref--;
                }
                int literals = ip - anchor;
                while (true) {
                    int matchLength = MIN_MATCH + common(src, ip + MIN_MATCH, ref + MIN_MATCH, matchLimit);
                    int m = matchLength - MIN_MATCH;
                    // token + literal length bytes + literals + offset + match length bytes
                    if (op + 1 + literals / 255 + 1 + literals + 2 + m / 255 + 1 > maxOut) {
                        return -1;
                    }
                    dst[op++] = (byte) (Math.min(literals, 15) << 4 | Math.min(m, 15));
                    op = length(literals, dst, op);
                    copyLiterals(src, anchor, literals, dst, op);
                    op += literals;
                    int distance = ip - ref;
                    dst[op++] = (byte) distance;
                    dst[op++] = (byte) (distance >>> 8);
                    op = length(m, dst, op);
                    ip += matchLength;
                    anchor = ip;
                    if (ip > mfLimit) {
                        break search;
                    }
                    table[hash(read32(src, ip - 2))] = ip - 2 + base;
                    int seq = read32(src, ip);
                    int h = hash(seq);
                    ref = table[h] - base;
                    table[h] = ip + base;
                    if (ip - ref > MAX_DISTANCE || read32(src, ref) != seq) {
                        break;
                    }
                    literals = 0; // another match right away
                }
                ip++;
                if (ip > mfLimit) {
                    break;
                }
            }
        }
        int literals = end - anchor;
        if (op + 1 + literals / 255 + 1 + literals > maxOut) {
            return -1;
        }
        dst[op++] = (byte) (Math.min(literals, 15) << 4);
        op = length(literals, dst, op);
        System.arraycopy(src, anchor, dst, op, literals);
        return op + literals;
    }

    /**
     * Copies the literals of a sequence; runs of up to 16 bytes as one or two 8-byte words. The over-read stays
     * inside the input (a sequence's literals end at a match, at least 12 bytes before the end) and the
     * over-write inside {@code dst}'s slack (the output is never longer than the input there).
     */
    private static void copyLiterals(byte[] src, int from, int n, byte[] dst, int op) {
        if (n <= 8) {
            LONG.set(dst, op, (long) LONG.get(src, from));
        } else if (n <= 16) {
            LONG.set(dst, op, (long) LONG.get(src, from));
            LONG.set(dst, op + 8, (long) LONG.get(src, from + 8));
        } else {
            System.arraycopy(src, from, dst, op, n);
        }
    }

    /** The extra length bytes of a 4-bit length field that saturated at 15. */
    private static int length(int value, byte[] dst, int op) {
        if (value >= 15) {
            int rest = value - 15;
            while (rest >= 255) {
                dst[op++] = (byte) 255;
                rest -= 255;
            }
            dst[op++] = (byte) rest;
        }
        return op;
    }

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private static int read32(byte[] b, int i) {
        return (int) INT.get(b, i);
    }

    /** Length of the common run of {@code b[i..]} and {@code b[ref..]}, stopping before {@code end}. */
    private static int common(byte[] b, int i, int ref, int end) {
        int n = 0;
        while (i + n + 8 <= end) {
            long x = (long) LONG.get(b, i + n) ^ (long) LONG.get(b, ref + n);
            if (x != 0) {
                return n + (Long.numberOfTrailingZeros(x) >>> 3);
            }
            n += 8;
        }
        while (i + n < end && b[i + n] == b[ref + n]) {
            n++;
        }
        return n;
    }

    // ---- the same compressor over segments: a long string of a document built in spill space (FORMAT.md §14) ----

    private static final ValueLayout.OfInt SEG_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong SEG_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * {@link #compress(byte[], int, int, byte[], int)} from {@code src} at {@code off} into {@code dst} at
     * {@code at} (room for {@code len + len / 255 + 16} bytes); the output is byte for byte the same, so a
     * document built in spill space equals one built on the heap. Positions are kept relative to {@code off}.
     */
    int compress(MemorySegment src, long off, int len, MemorySegment dst, long at, int minSaving) {
        int maxOut = len - minSaving;
        if (maxOut <= 0) {
            return -1;
        }
        int[] table = this.table;
        int base = begin(len, 0);
        int end = len;
        int mfLimit = end - MF_LIMIT;
        int matchLimit = end - LAST_LITERALS;
        int giveUpAt = GIVE_UP_WITHOUT_MATCH;
        int op = 0;
        int anchor = 0;
        int ip = 0;
        if (len > MF_LIMIT) {
            table[hash(src.get(SEG_INT, off + ip))] = ip + base;
            ip++;
            search:
            while (true) {
                int attempts = 1 << SKIP_TRIGGER;
                int next = ip;
                int nextSeq = src.get(SEG_INT, off + next);
                int ref;
                while (true) {
                    ip = next;
                    int seq = nextSeq;
                    int h = hash(seq);
                    next = ip + (attempts++ >>> SKIP_TRIGGER);
                    ref = table[h] - base;
                    table[h] = ip + base;
                    if (ip - ref <= MAX_DISTANCE && src.get(SEG_INT, off + ref) == seq) {
                        break;
                    }
                    if (next > mfLimit) {
                        break search;
                    }
                    if (op == 0 && ip >= giveUpAt) {
                        return -1;
                    }
                    nextSeq = src.get(SEG_INT, off + next);
                }
                while (ip > anchor && ref > 0 && src.get(ValueLayout.JAVA_BYTE, off + ip - 1)
                        == src.get(ValueLayout.JAVA_BYTE, off + ref - 1)) {
                    ip--;
                    ref--;
                }
                int literals = ip - anchor;
                while (true) {
                    int matchLength = MIN_MATCH
                            + common(src, off + ip + MIN_MATCH, off + ref + MIN_MATCH, off + matchLimit);
                    int m = matchLength - MIN_MATCH;
                    if (op + 1 + literals / 255 + 1 + literals + 2 + m / 255 + 1 > maxOut) {
                        return -1;
                    }
                    dst.set(ValueLayout.JAVA_BYTE, at + op++, (byte) (Math.min(literals, 15) << 4 | Math.min(m, 15)));
                    op = length(literals, dst, at, op);
                    MemorySegment.copy(src, off + anchor, dst, at + op, literals);
                    op += literals;
                    int distance = ip - ref;
                    dst.set(ValueLayout.JAVA_BYTE, at + op++, (byte) distance);
                    dst.set(ValueLayout.JAVA_BYTE, at + op++, (byte) (distance >>> 8));
                    op = length(m, dst, at, op);
                    ip += matchLength;
                    anchor = ip;
                    if (ip > mfLimit) {
                        break search;
                    }
                    table[hash(src.get(SEG_INT, off + ip - 2))] = ip - 2 + base;
                    int seq = src.get(SEG_INT, off + ip);
                    int h = hash(seq);
                    ref = table[h] - base;
                    table[h] = ip + base;
                    if (ip - ref > MAX_DISTANCE || src.get(SEG_INT, off + ref) != seq) {
                        break;
                    }
                    literals = 0;
                }
                ip++;
                if (ip > mfLimit) {
                    break;
                }
            }
        }
        int literals = end - anchor;
        if (op + 1 + literals / 255 + 1 + literals > maxOut) {
            return -1;
        }
        dst.set(ValueLayout.JAVA_BYTE, at + op++, (byte) (Math.min(literals, 15) << 4));
        op = length(literals, dst, at, op);
        MemorySegment.copy(src, off + anchor, dst, at + op, literals);
        return op + literals;
    }

    private static int length(int value, MemorySegment dst, long at, int op) {
        if (value >= 15) {
            int rest = value - 15;
            while (rest >= 255) {
                dst.set(ValueLayout.JAVA_BYTE, at + op++, (byte) 255);
                rest -= 255;
            }
            dst.set(ValueLayout.JAVA_BYTE, at + op++, (byte) rest);
        }
        return op;
    }

    private static int common(MemorySegment b, long i, long ref, long end) {
        int n = 0;
        while (i + n + 8 <= end) {
            long x = b.get(SEG_LONG, i + n) ^ b.get(SEG_LONG, ref + n);
            if (x != 0) {
                return n + (Long.numberOfTrailingZeros(x) >>> 3);
            }
            n += 8;
        }
        while (i + n < end && b.get(ValueLayout.JAVA_BYTE, i + n) == b.get(ValueLayout.JAVA_BYTE, ref + n)) {
            n++;
        }
        return n;
    }
}
