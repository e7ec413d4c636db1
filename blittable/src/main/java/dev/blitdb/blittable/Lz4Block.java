package dev.blitdb.blittable;

/**
 * A small LZ4 block compressor (FORMAT.md §8 — standard LZ4 block format, decoded by {@link Lz4Decoder}; lz4-java's
 * decoder reads its blocks too, {@code Lz4BlockTest}). Why not lz4-java's compressor: it allocates and clears a
 * 16 KiB hash table per call, which for the many 129-byte-to-few-KiB strings of a document cost more than the
 * compression itself. This one keeps a 4096-entry table across calls and invalidates old entries by an epoch
 * offset instead of clearing, and gives up as soon as the output can no longer be {@code minSaving} bytes smaller
 * than the input, or when the first {@link #GIVE_UP_WITHOUT_MATCH} bytes hold no repeat at all. Greedy, one hash
 * probe per position.
 *
 * <p>Block rules kept (so any LZ4 decoder accepts the output): matches are at least 4 bytes, at most 65,535 back,
 * start no later than 12 bytes before the end and end no later than 5 bytes before it; the block ends with
 * literals. Not thread-safe: one per writer.
 */
final class Lz4Block {
    private static final int MIN_MATCH = 4;
    private static final int MF_LIMIT = 12;
    private static final int LAST_LITERALS = 5;
    private static final int MAX_DISTANCE = 65535;
    private static final int HASH_BITS = 12;
    /** Gives up when the first this many bytes hold no 4-byte repeat (FORMAT.md §8). */
    static final int GIVE_UP_WITHOUT_MATCH = 160;

    private final int[] table = new int[1 << HASH_BITS];
    /** Added to every stored position; moving it past all old entries invalidates them without clearing. */
    private int epoch = 1;

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
        if (epoch > Integer.MAX_VALUE - len - MAX_DISTANCE - 2) {
            java.util.Arrays.fill(table, 0);
            epoch = 1;
        }
        int base = epoch; // table entries < base belong to earlier calls
        epoch += len + MAX_DISTANCE + 1;
        int op = 0;
        int anchor = 0;
        int i = 0;
        int limit = len - MF_LIMIT;
        int matchLimit = len - LAST_LITERALS;
        while (i <= limit) {
            int seq = read32(src, off + i);
            int h = (seq * -1640531535) >>> (32 - HASH_BITS);
            int ref = table[h] - base;
            table[h] = i + base;
            if (ref < 0 || i - ref > MAX_DISTANCE || read32(src, off + ref) != seq) {
                if (op == 0 && i >= GIVE_UP_WITHOUT_MATCH) {
                    return -1; // no repeat at all in the first bytes: text like this rarely pays off
                }
                i += 1 + ((i - anchor) >>> 6); // skip faster through data that does not match
                continue;
            }
            int matchLength = MIN_MATCH + common(src, off + i + MIN_MATCH, off + ref + MIN_MATCH, off + matchLimit);
            int literals = i - anchor;
            // token + literal length bytes + literals + offset + match length bytes
            if (op + 1 + literals / 255 + 1 + literals + 2 + (matchLength - MIN_MATCH) / 255 + 1 > maxOut) {
                return -1;
            }
            op = sequence(src, off + anchor, literals, i - ref, matchLength, dst, op);
            i += matchLength;
            anchor = i;
        }
        int literals = len - anchor;
        if (op + 1 + literals / 255 + 1 + literals > maxOut) {
            return -1;
        }
        int token = Math.min(literals, 15) << 4;
        dst[op++] = (byte) token;
        op = length(literals, dst, op);
        System.arraycopy(src, off + anchor, dst, op, literals);
        return op + literals;
    }

    private static int sequence(byte[] src, int literalsAt, int literals, int distance, int matchLength, byte[] dst,
                                int op) {
        int m = matchLength - MIN_MATCH;
        dst[op++] = (byte) (Math.min(literals, 15) << 4 | Math.min(m, 15));
        op = length(literals, dst, op);
        System.arraycopy(src, literalsAt, dst, op, literals);
        op += literals;
        dst[op++] = (byte) distance;
        dst[op++] = (byte) (distance >>> 8);
        return length(m, dst, op);
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

    private static final java.lang.invoke.VarHandle INT = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle LONG = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

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

    private static final java.lang.foreign.ValueLayout.OfInt SEG_INT =
            java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.foreign.ValueLayout.OfLong SEG_LONG =
            java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * {@link #compress(byte[], int, int, byte[], int)} from {@code src} at {@code off} into {@code dst} at
     * {@code at} (room for {@code len + len / 255 + 16} bytes); the output is byte for byte the same, so a
     * document built in spill space equals one built on the heap.
     */
    int compress(java.lang.foreign.MemorySegment src, long off, int len, java.lang.foreign.MemorySegment dst,
                 long at, int minSaving) {
        int maxOut = len - minSaving;
        if (maxOut <= 0) {
            return -1;
        }
        if (epoch > Integer.MAX_VALUE - len - MAX_DISTANCE - 2) {
            java.util.Arrays.fill(table, 0);
            epoch = 1;
        }
        int base = epoch;
        epoch += len + MAX_DISTANCE + 1;
        int op = 0;
        int anchor = 0;
        int i = 0;
        int limit = len - MF_LIMIT;
        int matchLimit = len - LAST_LITERALS;
        while (i <= limit) {
            int seq = src.get(SEG_INT, off + i);
            int h = (seq * -1640531535) >>> (32 - HASH_BITS);
            int ref = table[h] - base;
            table[h] = i + base;
            if (ref < 0 || i - ref > MAX_DISTANCE || src.get(SEG_INT, off + ref) != seq) {
                if (op == 0 && i >= GIVE_UP_WITHOUT_MATCH) {
                    return -1;
                }
                i += 1 + ((i - anchor) >>> 6);
                continue;
            }
            int matchLength = MIN_MATCH + common(src, off + i + MIN_MATCH, off + ref + MIN_MATCH, off + matchLimit);
            int literals = i - anchor;
            if (op + 1 + literals / 255 + 1 + literals + 2 + (matchLength - MIN_MATCH) / 255 + 1 > maxOut) {
                return -1;
            }
            int m = matchLength - MIN_MATCH;
            dst.set(java.lang.foreign.ValueLayout.JAVA_BYTE, at + op++,
                    (byte) (Math.min(literals, 15) << 4 | Math.min(m, 15)));
            op = length(literals, dst, at, op);
            java.lang.foreign.MemorySegment.copy(src, off + anchor, dst, at + op, literals);
            op += literals;
            int distance = i - ref;
            dst.set(java.lang.foreign.ValueLayout.JAVA_BYTE, at + op++, (byte) distance);
            dst.set(java.lang.foreign.ValueLayout.JAVA_BYTE, at + op++, (byte) (distance >>> 8));
            op = length(m, dst, at, op);
            i += matchLength;
            anchor = i;
        }
        int literals = len - anchor;
        if (op + 1 + literals / 255 + 1 + literals > maxOut) {
            return -1;
        }
        dst.set(java.lang.foreign.ValueLayout.JAVA_BYTE, at + op++, (byte) (Math.min(literals, 15) << 4));
        op = length(literals, dst, at, op);
        java.lang.foreign.MemorySegment.copy(src, off + anchor, dst, at + op, literals);
        return op + literals;
    }

    private static int length(int value, java.lang.foreign.MemorySegment dst, long at, int op) {
        if (value >= 15) {
            int rest = value - 15;
            while (rest >= 255) {
                dst.set(java.lang.foreign.ValueLayout.JAVA_BYTE, at + op++, (byte) 255);
                rest -= 255;
            }
            dst.set(java.lang.foreign.ValueLayout.JAVA_BYTE, at + op++, (byte) rest);
        }
        return op;
    }

    private static int common(java.lang.foreign.MemorySegment b, long i, long ref, long end) {
        int n = 0;
        while (i + n + 8 <= end) {
            long x = b.get(SEG_LONG, i + n) ^ b.get(SEG_LONG, ref + n);
            if (x != 0) {
                return n + (Long.numberOfTrailingZeros(x) >>> 3);
            }
            n += 8;
        }
        while (i + n < end && b.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i + n)
                == b.get(java.lang.foreign.ValueLayout.JAVA_BYTE, ref + n)) {
            n++;
        }
        return n;
    }
}
