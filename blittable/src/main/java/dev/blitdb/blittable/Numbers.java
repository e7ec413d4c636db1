package dev.blitdb.blittable;

import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;
import java.math.BigInteger;

import static dev.blitdb.blittable.BlitFormat.*;

/** Number reads (FORMAT.md §4). The common cases allocate nothing; rare forms take an exact slow path. */
final class Numbers {
    private Numbers() {
    }

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22};

    /** The value at absolute offset {@code at} as a double (correctly rounded); the token must be numeric. */
    static double toDouble(MemorySegment s, long at, int token) {
        switch (token & TYPE_MASK) {
            case TYPE_INTEGER -> {
                return Bytes.zigzagDecode(Bytes.varint(s, at + 1));
            }
            case TYPE_DECIMAL -> {
                long signed = Bytes.varint(s, at + 1);
                int scale = (int) Bytes.zigzagDecode(Bytes.varint(s, at + 1 + Bytes.varintSize(s, at + 1)));
                long mag = signed >>> 1;
                boolean negative = (signed & 1) != 0;
                double v;
                // Both operands exact, one IEEE operation: correctly rounded (the classic fast path).
                if (mag <= (1L << 53) && scale >= -22 && scale <= 22) {
                    v = scale >= 0 ? mag / POW10[scale] : mag * POW10[-scale];
                } else {
                    v = new BigDecimal(BigInteger.valueOf(mag), scale).doubleValue();
                }
                return negative ? -v : v;
            }
            case TYPE_NUMBER_TEXT -> {
                return Double.parseDouble(text(s, at));
            }
            default -> throw wrongType(token, at, "a number");
        }
    }

    /** The value as a long: exact for INTEGER, truncated toward zero (saturating) for other numbers. */
    static long toLong(MemorySegment s, long at, int token) {
        if ((token & TYPE_MASK) == TYPE_INTEGER) {
            return Bytes.zigzagDecode(Bytes.varint(s, at + 1));
        }
        if ((token & TYPE_MASK) == TYPE_NUMBER_TEXT) {
            BigDecimal d = new BigDecimal(text(s, at));
            return d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE
                    : d.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0 ? Long.MIN_VALUE : d.longValue();
        }
        return (long) toDouble(s, at, token);
    }

    /** The exact value as a BigDecimal (allocates; for tests, tools and rare paths). */
    static BigDecimal toBigDecimal(MemorySegment s, long at, int token) {
        switch (token & TYPE_MASK) {
            case TYPE_INTEGER -> {
                return BigDecimal.valueOf(Bytes.zigzagDecode(Bytes.varint(s, at + 1)));
            }
            case TYPE_DECIMAL -> {
                long signed = Bytes.varint(s, at + 1);
                int scale = (int) Bytes.zigzagDecode(Bytes.varint(s, at + 1 + Bytes.varintSize(s, at + 1)));
                BigDecimal d = new BigDecimal(BigInteger.valueOf(signed >>> 1), scale);
                return (signed & 1) != 0 ? d.negate() : d;
            }
            case TYPE_NUMBER_TEXT -> {
                return new BigDecimal(text(s, at));
            }
            default -> throw wrongType(token, at, "a number");
        }
    }

    private static String text(MemorySegment s, long at) {
        int len = (int) Bytes.varint(s, at + 1);
        long from = at + 1 + Bytes.varintSize(s, at + 1);
        byte[] b = new byte[len];
        MemorySegment.copy(s, java.lang.foreign.ValueLayout.JAVA_BYTE, from, b, 0, len);
        return new String(b, java.nio.charset.StandardCharsets.US_ASCII);
    }

    static IllegalStateException wrongType(int token, long at, String expected) {
        return new IllegalStateException("expected " + expected + " but found " + BlitType.of(token)
                + " (token 0x" + Integer.toHexString(token) + " at segment offset " + at + ")");
    }
}
