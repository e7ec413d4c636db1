package dev.blitdb.blittable;

import static dev.blitdb.blittable.BlitFormat.*;

/**
 * Classifies a JSON number literal and encodes it (FORMAT.md §4) straight from its text: no {@code double} is ever
 * computed on the write path, which is both exact and faster than parsing.
 */
final class NumberLiteral {
    private NumberLiteral() {
    }

    private static final char[] LONG_MIN = "-9223372036854775808".toCharArray();

    /**
     * Encodes the literal {@code c[off, off + len)}, a syntactically valid JSON number, at {@code buf[pos]}
     * (the caller reserved {@code len + 16} bytes). Returns the position after the value.
     */
    static int write(char[] c, int off, int len, byte[] buf, int pos) {
        int i = off;
        int end = off + len;
        boolean negative = c[i] == '-';
        if (negative) {
            i++;
        }
        long mag = 0;
        boolean overflow = false;
        boolean integer = true;
        while (i < end && c[i] >= '0' && c[i] <= '9') {
            int d = c[i++] - '0';
            if (mag <= (Long.MAX_VALUE - d) / 10) {
                mag = mag * 10 + d;
            } else {
                overflow = true;
            }
        }
        long fractionDigits = 0;
        if (i < end && c[i] == '.') {
            integer = false;
            i++;
            while (i < end && c[i] >= '0' && c[i] <= '9') {
                int d = c[i++] - '0';
                fractionDigits++;
                if (mag <= (Long.MAX_VALUE - d) / 10) {
                    mag = mag * 10 + d;
                } else {
                    overflow = true;
                }
            }
        }
        long exponent = 0;
        if (i < end && (c[i] == 'e' || c[i] == 'E')) {
            integer = false;
            i++;
            boolean expNegative = false;
            if (c[i] == '+' || c[i] == '-') {
                expNegative = c[i] == '-';
                i++;
            }
            while (i < end) {
                exponent = exponent * 10 + (c[i++] - '0');
                if (exponent > 1L << 40) {
                    overflow = true; // far outside any int scale; keep the text
                    break;
                }
            }
            if (expNegative) {
                exponent = -exponent;
            }
        }
        if (integer) {
            if (!overflow && !(negative && mag == 0)) {
                buf[pos++] = TYPE_INTEGER;
                return Bytes.putVarint(buf, pos, Bytes.zigzagEncode(negative ? -mag : mag));
            }
            if (overflow && java.util.Arrays.equals(c, off, end, LONG_MIN, 0, LONG_MIN.length)) {
                buf[pos++] = TYPE_INTEGER;
                return Bytes.putVarint(buf, pos, Bytes.zigzagEncode(Long.MIN_VALUE));
            }
            // "-0" (and integers beyond 64 bits) keep their text: a DECIMAL of scale 0 prints as "0E+0" (a float).
            overflow = true;
        }
        long scale = fractionDigits - exponent;
        if (!overflow && scale >= Integer.MIN_VALUE && scale <= Integer.MAX_VALUE) {
            buf[pos++] = TYPE_DECIMAL;
            pos = Bytes.putVarint(buf, pos, mag << 1 | (negative ? 1 : 0));
            return Bytes.putVarint(buf, pos, Bytes.zigzagEncode(scale));
        }
        buf[pos++] = TYPE_NUMBER_TEXT;
        pos = Bytes.putVarint(buf, pos, len);
        for (int k = off; k < end; k++) {
            buf[pos++] = (byte) c[k];
        }
        return pos;
    }
}
