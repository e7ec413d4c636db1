package dev.blitdb.blittable;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Decodes a JSON string with escapes straight from UTF-8 JSON in a segment into UTF-8, in two passes: one to
 * find its end, its exact decoded length and whether JSON output must escape it, one to write the bytes. Jackson
 * then only skips the string, so a 30 MB string never becomes a 60 MB {@code char[]} (Jackson's
 * {@code getText(Writer)} and {@code getTextCharacters()} both decode the whole value into its text buffer
 * first). The bytes are exactly those of Jackson's decoding followed by {@link Utf8#encode}; anything this
 * decoder does not accept (a bad escape, a raw control byte, no closing quote) is left to Jackson, which reports
 * it with its position.
 */
final class JsonEscapes {
    private JsonEscapes() {
    }

    /** {@link #measure} found an escape JSON output must reproduce ({@code \"}, {@code \\}, a control char). */
    static final long ESCAPE = 1L << 62;
    /** {@link #measure} found an unpaired surrogate escape, which UTF-8 cannot hold. */
    static final long UNPAIRED = 1L << 61;
    /** {@link #measure}: not a string this decoder takes; Jackson decodes (or rejects) it. */
    static final long NOT_MINE = -1;
    private static final long LENGTH = (1L << 40) - 1;

    /**
     * Scans the string that starts at {@code from} (after the opening quote) up to {@code limit}. Returns
     * {@link #NOT_MINE}, or the decoded UTF-8 length in the low 40 bits with {@link #ESCAPE} and {@link #UNPAIRED}
     * as flags; {@link #end} gives the closing quote's offset.
     */
    static long measure(MemorySegment json, long from, long limit, long[] end) {
        long n = 0;
        long flags = 0;
        long i = from;
        while (true) {
            if (i >= limit) {
                return NOT_MINE;
            }
            int c = json.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
            if (c == '"') {
                break;
            }
            if (c < 0x20) {
                return NOT_MINE;
            }
            if (c != '\\') {
                n++;
                i++;
                continue;
            }
            if (i + 1 >= limit) {
                return NOT_MINE;
            }
            switch (json.get(ValueLayout.JAVA_BYTE, i + 1)) {
                case '"', '\\', 'b', 'f', 'n', 'r', 't' -> {
                    n++;
                    flags |= ESCAPE;
                    i += 2;
                }
                case '/' -> {
                    n++;
                    i += 2;
                }
                case 'u' -> {
                    int cp = hex4(json, i + 2, limit);
                    if (cp < 0) {
                        return NOT_MINE;
                    }
                    i += 6;
                    if (cp < 0x80) {
                        n++;
                        if (cp < 0x20 || cp == '"' || cp == '\\') {
                            flags |= ESCAPE;
                        }
                    } else if (cp < 0x800) {
                        n += 2;
                    } else if (Character.isHighSurrogate((char) cp) && lowSurrogateAt(json, i, limit) >= 0) {
                        n += 4;
                        i += 6;
                    } else if (Character.isSurrogate((char) cp)) {
                        flags |= UNPAIRED;
                        n += 3;
                    } else {
                        n += 3;
                    }
                }
                default -> {
                    return NOT_MINE;
                }
            }
        }
        end[0] = i;
        return n | flags;
    }

    static int length(long measured) {
        return (int) Math.min(measured & LENGTH, Integer.MAX_VALUE);
    }

    /**
     * Writes the decoded bytes of {@code json[from, end)} (measured and accepted by {@link #measure}): into
     * {@code out} from {@code o} when {@code sink} is null, else through {@code out} as a staging buffer (at least
     * 64 bytes) into {@code sink} from {@code dst}, runs without escapes copied segment to segment.
     */
    static void decode(MemorySegment json, long from, long end, byte[] out, int o, MemorySegment sink, long dst) {
        long i = from;
        while (i < end) {
            long run = i;
            while (i < end && json.get(ValueLayout.JAVA_BYTE, i) != '\\') {
                i++;
            }
            int runLength = (int) (i - run);
            if (runLength > 0) {
                if (sink == null) {
                    MemorySegment.copy(json, ValueLayout.JAVA_BYTE, run, out, o, runLength);
                    o += runLength;
                } else {
                    if (o > 0) {
                        MemorySegment.copy(out, 0, sink, ValueLayout.JAVA_BYTE, dst, o);
                        dst += o;
                        o = 0;
                    }
                    MemorySegment.copy(json, run, sink, dst, runLength);
                    dst += runLength;
                }
            }
            if (i >= end) {
                break;
            }
            byte e = json.get(ValueLayout.JAVA_BYTE, i + 1);
            i += 2;
            switch (e) {
                case 'b' -> out[o++] = '\b';
                case 'f' -> out[o++] = '\f';
                case 'n' -> out[o++] = '\n';
                case 'r' -> out[o++] = '\r';
                case 't' -> out[o++] = '\t';
                case 'u' -> {
                    int cp = hex4(json, i, end);
                    i += 4;
                    if (Character.isHighSurrogate((char) cp)) {
                        int low = lowSurrogateAt(json, i, end);
                        if (low >= 0) {
                            cp = Character.toCodePoint((char) cp, (char) low);
                            i += 6;
                        }
                    }
                    o = putCodePoint(out, o, cp);
                }
                default -> out[o++] = e; // '"', '\\', '/'
            }
            if (sink != null && o > out.length - 8) {
                MemorySegment.copy(out, 0, sink, ValueLayout.JAVA_BYTE, dst, o);
                dst += o;
                o = 0;
            }
        }
        if (sink != null && o > 0) {
            MemorySegment.copy(out, 0, sink, ValueLayout.JAVA_BYTE, dst, o);
        }
    }

    private static int putCodePoint(byte[] out, int o, int cp) {
        if (cp < 0x80) {
            out[o++] = (byte) cp;
        } else if (cp < 0x800) {
            out[o++] = (byte) (0xC0 | (cp >> 6));
            out[o++] = (byte) (0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out[o++] = (byte) (0xE0 | (cp >> 12));
            out[o++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            out[o++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            out[o++] = (byte) (0xF0 | (cp >> 18));
            out[o++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            out[o++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            out[o++] = (byte) (0x80 | (cp & 0x3F));
        }
        return o;
    }

    /** The low surrogate escaped as backslash-u and four hex digits at {@code i}, or -1. */
    private static int lowSurrogateAt(MemorySegment json, long i, long limit) {
        if (i + 6 > limit || json.get(ValueLayout.JAVA_BYTE, i) != '\\'
                || json.get(ValueLayout.JAVA_BYTE, i + 1) != 'u') {
            return -1;
        }
        int low = hex4(json, i + 2, limit);
        return low >= 0 && Character.isLowSurrogate((char) low) ? low : -1;
    }

    /** The four hex digits at {@code i} as a number, or -1. */
    private static int hex4(MemorySegment json, long i, long limit) {
        if (i + 4 > limit) {
            return -1;
        }
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int c = json.get(ValueLayout.JAVA_BYTE, i + k);
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }
}
