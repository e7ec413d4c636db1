package dev.blitdb.blittable;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Little-endian reads from a {@link MemorySegment} at absolute segment offsets, plus varints (FORMAT.md §3).
 * Every access is bounds-checked by the segment itself, so even a corrupt document cannot read outside it.
 */
final class Bytes {
    private Bytes() {
    }

    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static int u8(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }

    static int u16(MemorySegment s, long at) {
        return s.get(U16, at) & 0xFFFF;
    }

    /** Unsigned 32-bit read; callers treat values above {@code Integer.MAX_VALUE} as corrupt (they become < 0). */
    static int u32(MemorySegment s, long at) {
        return s.get(U32, at);
    }

    /** Unsigned read of 1, 2 or 4 bytes. */
    static int uint(MemorySegment s, long at, int width) {
        return switch (width) {
            case 1 -> s.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
            case 2 -> s.get(U16, at) & 0xFFFF;
            default -> s.get(U32, at);
        };
    }

    /** Reads an unsigned varint; trusts the encoding (validated documents end every varint within 10 bytes). */
    static long varint(MemorySegment s, long at) {
        long b = s.get(ValueLayout.JAVA_BYTE, at);
        if (b >= 0) {
            return b;
        }
        long result = b & 0x7F;
        int shift = 7;
        do {
            b = s.get(ValueLayout.JAVA_BYTE, ++at);
            result |= (b & 0x7F) << shift;
            shift += 7;
        } while (b < 0 && shift < 70);
        return result;
    }

    /** Number of bytes of the varint at {@code at} (at most 10 in a validated document). */
    static int varintSize(MemorySegment s, long at) {
        int n = 1;
        while (s.get(ValueLayout.JAVA_BYTE, at) < 0 && n < 10) {
            at++;
            n++;
        }
        return n;
    }

    static long zigzagDecode(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    static long zigzagEncode(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static int varintLength(long v) {
        // 1 byte per 7 significant bits, at least one byte.
        int bits = 64 - Long.numberOfLeadingZeros(v | 1);
        return (bits + 6) / 7;
    }

    /** Writes an unsigned varint into {@code buf} at {@code pos}; returns the position after it. */
    static int putVarint(byte[] buf, int pos, long v) {
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
        return pos;
    }

    static void putUint(byte[] buf, int pos, int value, int width) {
        buf[pos] = (byte) value;
        if (width >= 2) {
            buf[pos + 1] = (byte) (value >>> 8);
            if (width == 4) {
                buf[pos + 2] = (byte) (value >>> 16);
                buf[pos + 3] = (byte) (value >>> 24);
            }
        }
    }

    static void putU32(byte[] buf, int pos, int value) {
        putUint(buf, pos, value, 4);
    }
}
