package dev.blitdb.blittable;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** UTF-8 validation and encoding without allocation (FORMAT.md §8). */
final class Utf8 {
    private Utf8() {
    }

    /** 1 for the ASCII bytes JSON output must escape: controls, '"' and '\\'. */
    private static final byte[] NEEDS_ESCAPE = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            NEEDS_ESCAPE[c] = 1;
        }
        NEEDS_ESCAPE['"'] = 1;
        NEEDS_ESCAPE['\\'] = 1;
    }

    /** Returned by {@link #encode} for an unpaired surrogate. */
    static final long UNPAIRED_SURROGATE = -1L;
    /** Bit 32 of {@link #encode}'s result: the string holds a byte that JSON output must escape. */
    static final long ESCAPE_BIT = 1L << 32;

    /**
     * Encodes {@code len} UTF-16 chars into {@code dst} at {@code pos} (the caller guarantees {@code 3 * len}
     * free bytes). Returns the end position in the low 32 bits with {@link #ESCAPE_BIT} set when some char needs a
     * JSON escape, or {@link #UNPAIRED_SURROGATE}.
     */
    static long encode(char[] src, int off, int len, byte[] dst, int pos) {
        long escape = 0;
        int end = off + len;
        int i = off;
        // ASCII run first: the common case for keys and most text; a table lookup instead of three compares.
        int needs = 0;
        while (i < end) {
            char c = src[i];
            if (c >= 0x80) {
                break;
            }
            needs |= NEEDS_ESCAPE[c];
            dst[pos++] = (byte) c;
            i++;
        }
        if (needs != 0) {
            escape = ESCAPE_BIT;
        }
        while (i < end) {
            char c = src[i++];
            if (c < 0x80) {
                if (c < 0x20 || c == '"' || c == '\\') {
                    escape = ESCAPE_BIT;
                }
                dst[pos++] = (byte) c;
            } else if (c < 0x800) {
                dst[pos++] = (byte) (0xC0 | (c >> 6));
                dst[pos++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i >= end || !Character.isLowSurrogate(src[i])) {
                    return UNPAIRED_SURROGATE;
                }
                int cp = Character.toCodePoint(c, src[i++]);
                dst[pos++] = (byte) (0xF0 | (cp >> 18));
                dst[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                dst[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                dst[pos++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                dst[pos++] = (byte) (0xE0 | (c >> 12));
                dst[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                dst[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return pos | escape;
    }

    /** Same as {@link #encode(char[], int, int, byte[], int)} for a {@link CharSequence}. */
    static long encode(CharSequence src, byte[] dst, int pos) {
        long escape = 0;
        int end = src.length();
        for (int i = 0; i < end; ) {
            char c = src.charAt(i++);
            if (c < 0x80) {
                if (c < 0x20 || c == '"' || c == '\\') {
                    escape = ESCAPE_BIT;
                }
                dst[pos++] = (byte) c;
            } else if (c < 0x800) {
                dst[pos++] = (byte) (0xC0 | (c >> 6));
                dst[pos++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i >= end || !Character.isLowSurrogate(src.charAt(i))) {
                    return UNPAIRED_SURROGATE;
                }
                int cp = Character.toCodePoint(c, src.charAt(i++));
                dst[pos++] = (byte) (0xF0 | (cp >> 18));
                dst[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                dst[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                dst[pos++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                dst[pos++] = (byte) (0xE0 | (c >> 12));
                dst[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                dst[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return pos | escape;
    }

    /** Offset of the first byte that breaks UTF-8 (overlong, surrogate, > U+10FFFF, truncated), or -1. */
    static int firstInvalid(byte[] b, int off, int len) {
        return firstInvalid(b, off, len, false);
    }

    /**
     * Offset of the first byte of JSON input that is not UTF-8 or is NUL, or -1. A raw NUL can never occur in JSON
     * text (controls inside strings must be escaped), and refusing it also stops Jackson from guessing UTF-16/32
     * from zero bytes: BlitDB's input is UTF-8 only.
     */
    static int firstInvalidJson(byte[] b, int off, int len) {
        return firstInvalid(b, off, len, true);
    }

    private static int firstInvalid(byte[] b, int off, int len, boolean rejectNul) {
        int end = off + len;
        int i = off;
        while (i < end) {
            // Skip ASCII 8 bytes at a time (and, for JSON input, words without a NUL byte).
            while (i + 8 <= end) {
                long v = readLong(b, i);
                if ((v & 0x8080808080808080L) != 0
                        || (rejectNul && ((v - 0x0101010101010101L) & ~v & 0x8080808080808080L) != 0)) {
                    break;
                }
                i += 8;
            }
            // Then byte by byte until the next ASCII word: runs of CJK text stay in this loop.
            while (i < end) {
                int c = b[i];
                if (c >= 0) {
                    if (c == 0 && rejectNul) {
                        return i;
                    }
                    i++;
                    if ((i & 7) == 0) {
                        break; // aligned again: back to the word loop
                    }
                    continue;
                }
                c &= 0xFF;
                if (c < 0xE0) {
                    if (c < 0xC2 || i + 1 >= end || (b[i + 1] & 0xC0) != 0x80) {
                        return i;
                    }
                    i += 2;
                } else if (c < 0xF0) {
                    if (i + 2 >= end) {
                        return i;
                    }
                    int c1 = b[i + 1] & 0xFF;
                    if ((c1 & 0xC0) != 0x80 || (b[i + 2] & 0xC0) != 0x80
                            || (c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) {
                        return i;
                    }
                    i += 3;
                } else {
                    if (c > 0xF4 || i + 3 >= end) {
                        return i;
                    }
                    int c1 = b[i + 1] & 0xFF;
                    if ((c1 & 0xC0) != 0x80 || (b[i + 2] & 0xC0) != 0x80 || (b[i + 3] & 0xC0) != 0x80
                            || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90)) {
                        return i;
                    }
                    i += 4;
                }
            }
        }
        return -1;
    }

    /**
     * {@link #firstInvalidJson(byte[], int, int)} over a segment range (a spooled body), through {@code scratch} in
     * pieces: each piece ends before an incomplete sequence, which the next piece starts with. Returns the absolute
     * offset of the first bad byte, or -1.
     */
    static long firstInvalidJson(MemorySegment s, long off, long len, byte[] scratch) {
        long end = off + len;
        long p = off;
        while (p < end) {
            int k = (int) Math.min(scratch.length, end - p);
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, p, scratch, 0, k);
            int usable = k;
            if (p + k < end) {
                // Do not cut a sequence: back off over at most 3 continuation bytes and the lead before them.
                int back = 0;
                while (back < 3 && (scratch[usable - 1 - back] & 0xC0) == 0x80) {
                    back++;
                }
                if ((scratch[usable - 1 - back] & 0x80) != 0) {
                    usable -= back + 1;
                }
            }
            int bad = firstInvalidJson(scratch, 0, usable);
            if (bad >= 0) {
                return p + bad;
            }
            p += usable;
        }
        return -1;
    }

    /** {@link #lineColumn(byte[], int, int)} over a segment. Error path only. */
    static long lineColumn(MemorySegment s, long off, long offset) {
        int line = 1;
        long lineStart = off;
        for (long i = off; i < offset; i++) {
            if (s.get(ValueLayout.JAVA_BYTE, i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return ((long) line << 32) | (int) (offset - lineStart + 1);
    }

    /** Same check over a segment range; returns the absolute offset of the first bad byte, or -1. */
    static long firstInvalid(MemorySegment s, long off, long len) {
        long end = off + len;
        long i = off;
        while (i < end) {
            int c = s.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n = sequenceLength(c, i + 1 < end ? s.get(ValueLayout.JAVA_BYTE, i + 1) & 0xFF : -1);
            if (n == 0 || i + n > end) {
                return i;
            }
            for (int k = 1; k < n; k++) {
                if ((s.get(ValueLayout.JAVA_BYTE, i + k) & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += n;
        }
        return -1;
    }

    /**
     * Length of the sequence led by {@code c} (not ASCII) given the next byte, or 0 when the lead byte is invalid or
     * the pair starts an overlong form, a UTF-16 surrogate (U+D800..DFFF) or a code point above U+10FFFF.
     */
    private static int sequenceLength(int c, int next) {
        if (c < 0xC2) {
            return 0; // continuation byte as lead, or overlong 2-byte lead C0/C1
        }
        if (c < 0xE0) {
            return 2;
        }
        if (c < 0xF0) {
            if ((c == 0xE0 && next < 0xA0) || (c == 0xED && next >= 0xA0)) {
                return 0;
            }
            return 3;
        }
        if (c < 0xF5) {
            if ((c == 0xF0 && next < 0x90) || (c == 0xF4 && next >= 0x90)) {
                return 0;
            }
            return 4;
        }
        return 0;
    }

    private static long readLong(byte[] b, int i) {
        return (long) LONG_VIEW.get(b, i);
    }

    private static final java.lang.invoke.VarHandle LONG_VIEW =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** 1-based line and column (in bytes) of {@code offset}, packed as {@code line << 32 | column}. Error path only. */
    static long lineColumn(byte[] b, int off, int offset) {
        int line = 1;
        int lineStart = off;
        for (int i = off; i < offset; i++) {
            if (b[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return ((long) line << 32) | (offset - lineStart + 1);
    }
}
