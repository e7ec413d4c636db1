package dev.blitdb.blittable;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import static dev.blitdb.blittable.BlitFormat.*;

/**
 * Full structural check of a document (FORMAT.md §12), for bytes this module did not just write: every offset,
 * length, token, varint, name and string is checked to stay inside the document and to follow the format, so a
 * corrupt or fuzzed buffer ends in one {@link BlitFormatException} of kind {@code CORRUPT_DOCUMENT} — never an
 * out-of-bounds read, never an endless loop. Work is charged against a budget of one unit per document byte, so
 * validation is linear even for crafted documents that share children. Reusable (keeps its scratch), not
 * thread-safe.
 */
public final class BlitValidator {
    private final int maxDepth;
    private final int maxDocumentSize;
    private BlitDocument doc;
    private MemorySegment s;
    private long base;
    private int valueEnd;
    private long budget;
    private long next;
    private long[] seen = new long[16];
    private byte[] plain = new byte[1024];

    public BlitValidator() {
        this(BlitLimits.DEFAULT);
    }

    public BlitValidator(BlitLimits limits) {
        this.maxDepth = limits.maxDepth();
        this.maxDocumentSize = limits.maxDocumentSize();
    }

    /** Wraps and validates the document at {@code offset} of {@code segment}; returns {@code into}. */
    public BlitDocument validate(MemorySegment segment, long offset, BlitDocument into) {
        into.wrap(segment, offset);
        validate(into);
        return into;
    }

    /** Validates a wrapped document. */
    public void validate(BlitDocument document) {
        doc = document;
        s = document.segment();
        base = document.base();
        valueEnd = document.nameTablePosition();
        budget = document.length();
        try {
            names();
            value(document.rootPosition(), 0);
        } catch (IndexOutOfBoundsException e) {
            // Defensive: every read above is range-checked first, but a segment fault here must stay one clean error.
            throw BlitFormatException.corrupt("read out of bounds: " + e.getMessage(), -1);
        } finally {
            doc = null;
            s = null;
        }
    }

    private void names() {
        int w = doc.nameWidth();
        int count = doc.nameCount();
        long offsets = base + doc.nameOffsetsPosition();
        long data = doc.nameDataPosition();
        long dataLength = doc.length() - data;
        int previous = 0;
        for (int id = 0; id <= count; id++) {
            int off = Bytes.uint(s, offsets + (long) id * w, w);
            if (off < previous || off > dataLength || (id == 0 && off != 0)) {
                throw BlitFormatException.corrupt("name offset " + Integer.toUnsignedString(off) + " of name " + id
                        + " is out of order or outside the name data", doc.nameOffsetsPosition() + (long) id * w);
            }
            if (id > 0 && Utf8.firstInvalid(s, base + data + previous, off - previous) >= 0) {
                throw BlitFormatException.corrupt("name " + (id - 1) + " is not valid UTF-8", data + previous);
            }
            previous = off;
        }
        if (previous != dataLength) {
            throw BlitFormatException.corrupt("name table ends at " + (data + previous) + ", the document at "
                    + doc.length(), data + previous);
        }
    }

    private void charge(long units, int position) {
        budget -= units;
        if (budget < 0) {
            throw BlitFormatException.corrupt("document references more values than it can hold (shared or looping "
                    + "offsets)", position);
        }
    }

    /** Reads a varint of at most {@code maxBytes} inside the value region; leaves the end in {@link #next}. */
    private long varint(long position, int maxBytes) {
        long result = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (position + i >= valueEnd) {
                throw BlitFormatException.corrupt("varint runs past the value region", position);
            }
            int b = Bytes.u8(s, base + position + i);
            if (i == 9 && b > 1) {
                throw BlitFormatException.corrupt("varint overflows 64 bits", position);
            }
            result |= (long) (b & 0x7F) << (7 * i);
            if (b < 0x80) {
                next = position + i + 1;
                return result;
            }
        }
        throw BlitFormatException.corrupt("varint longer than " + maxBytes + " bytes", position);
    }

    private int length(long position) {
        long v = varint(position, 5);
        if (v > valueEnd - next) {
            throw BlitFormatException.corrupt("length " + v + " runs past the value region", position);
        }
        return (int) v;
    }

    private void value(int position, int depth) {
        if (position < HEADER_SIZE || position >= valueEnd) {
            throw BlitFormatException.corrupt("value position " + position + " outside the value region", position);
        }
        charge(1, position);
        int token = Bytes.u8(s, base + position);
        int type = token & TYPE_MASK;
        int flags = token >>> 4;
        switch (type) {
            case TYPE_NULL, TYPE_FALSE, TYPE_TRUE -> noFlags(flags, token, position);
            case TYPE_INTEGER -> {
                noFlags(flags, token, position);
                varint(position + 1, 10);
            }
            case TYPE_DECIMAL -> {
                noFlags(flags, token, position);
                varint(position + 1, 10);
                long scale = Bytes.zigzagDecode(varint(next, 5));
                if (scale != (int) scale) {
                    throw BlitFormatException.corrupt("decimal scale out of range", position);
                }
            }
            case TYPE_NUMBER_TEXT -> {
                noFlags(flags, token, position);
                int len = length(position + 1);
                if (!isJsonNumber(base + next, len)) {
                    throw BlitFormatException.corrupt("NUMBER_TEXT is not a JSON number", position);
                }
            }
            case TYPE_STRING -> {
                stringFlags(flags, token, position);
                int len = length(position + 1);
                if (Utf8.firstInvalid(s, base + next, len) >= 0) {
                    throw BlitFormatException.corrupt("string is not valid UTF-8", position);
                }
                checkEscapeFlag(s, base + next, len, flags, position);
            }
            case TYPE_COMPRESSED_STRING -> {
                stringFlags(flags, token, position);
                long raw = varint(position + 1, 5);
                int clen = length(next);
                if (raw > maxDocumentSize || raw < COMPRESS_MIN_LENGTH) {
                    throw BlitFormatException.corrupt("compressed string raw length " + raw + " is implausible",
                            position);
                }
                if (plain.length < raw) {
                    plain = new byte[(int) raw];
                }
                Lz4.decompress(s, base + next, clen, (int) raw, plain, 0);
                if (Utf8.firstInvalid(plain, 0, (int) raw) >= 0) {
                    throw BlitFormatException.corrupt("compressed string is not valid UTF-8", position);
                }
                MemorySegment p = MemorySegment.ofArray(plain);
                checkEscapeFlag(p, 0, (int) raw, flags, position);
            }
            case TYPE_ARRAY -> {
                container(position, depth, token, false);
            }
            case TYPE_OBJECT -> {
                container(position, depth, token, true);
            }
            default -> throw BlitFormatException.corrupt("invalid token 0x" + Integer.toHexString(token), position);
        }
    }

    private void container(int position, int depth, int token, boolean object) {
        if (depth + 1 > maxDepth) {
            throw BlitFormatException.corrupt("nesting deeper than " + maxDepth, position);
        }
        int ow = width((token >>> OFFSET_WIDTH_SHIFT) & 3);
        int iw = object ? width((token >>> ID_WIDTH_SHIFT) & 3) : 1;
        if (ow == 0 || iw == 0 || (!object && (token >>> ID_WIDTH_SHIFT) != 0)) {
            throw BlitFormatException.corrupt("invalid container token 0x" + Integer.toHexString(token), position);
        }
        long header = varint(position + 1, 5);
        long count = object ? header >>> 1 : header;
        boolean ordered = object && (header & ORIGINAL_ORDER_FLAG) != 0;
        int ew = object ? ow + iw : ow;
        int pw = ordered ? orderWidth((int) Math.min(count, Integer.MAX_VALUE)) : 0;
        long entries = next;
        if (count * (ew + pw) > valueEnd - entries) {
            throw BlitFormatException.corrupt("table of " + count + " entries runs past the value region", position);
        }
        charge(count, position);
        int n = (int) count;
        int previousId = -1;
        for (int i = 0; i < n; i++) {
            long e = base + entries + (long) i * ew;
            int distance = Bytes.uint(s, e, ow);
            if (distance <= 0 || distance > position - HEADER_SIZE) {
                throw BlitFormatException.corrupt("child distance " + Integer.toUnsignedString(distance)
                        + " leaves the value region", entries + (long) i * ew);
            }
            if (object) {
                int id = Bytes.uint(s, e + ow, iw);
                if (id < 0 || id >= doc.nameCount()) {
                    throw BlitFormatException.corrupt("name id " + Integer.toUnsignedString(id) + " out of range",
                            entries + (long) i * ew + ow);
                }
                if (previousId >= 0 && compareNames(previousId, id) >= 0) {
                    throw BlitFormatException.corrupt("object entries not strictly sorted by name", position);
                }
                previousId = id;
            }
            value(position - distance, depth + 1);
        }
        if (ordered) {
            permutation(base + entries + count * ew, n, pw, position);
        }
    }

    private void permutation(long at, int n, int pw, int position) {
        int words = (n + 63) >>> 6;
        if (seen.length < words) {
            seen = new long[words];
        }
        Arrays.fill(seen, 0, words, 0L);
        for (int k = 0; k < n; k++) {
            int i = Bytes.uint(s, at + (long) k * pw, pw);
            if (i < 0 || i >= n || (seen[i >>> 6] & (1L << i)) != 0) {
                throw BlitFormatException.corrupt("original-order table is not a permutation", position);
            }
            seen[i >>> 6] |= 1L << i;
        }
    }

    private int compareNames(int a, int b) {
        long sa = doc.nameStart(a);
        int la = doc.nameLength(a);
        long sb = doc.nameStart(b);
        int lb = doc.nameLength(b);
        long m = MemorySegment.mismatch(s, sa, sa + la, s, sb, sb + lb);
        if (m < 0) {
            return 0;
        }
        if (m == la || m == lb) {
            return la - lb;
        }
        return (Bytes.u8(s, sa + m)) - (Bytes.u8(s, sb + m));
    }

    private static void noFlags(int flags, int token, int position) {
        if (flags != 0) {
            throw BlitFormatException.corrupt("invalid token 0x" + Integer.toHexString(token), position);
        }
    }

    private static void stringFlags(int flags, int token, int position) {
        if ((flags & ~(FLAG_ESCAPE >>> 4)) != 0) {
            throw BlitFormatException.corrupt("invalid string token 0x" + Integer.toHexString(token), position);
        }
    }

    private static void checkEscapeFlag(MemorySegment seg, long from, int len, int flags,
                                        int position) {
        boolean needs = false;
        for (long p = from; p < from + len; p++) {
            int b = seg.get(ValueLayout.JAVA_BYTE, p) & 0xFF;
            if (b < 0x20 || b == '"' || b == '\\') {
                needs = true;
                break;
            }
        }
        if (needs != ((flags & (FLAG_ESCAPE >>> 4)) != 0)) {
            throw BlitFormatException.corrupt("string ESCAPE flag does not match its content", position);
        }
    }

    /** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
    private boolean isJsonNumber(long at, int len) {
        long end = at + len;
        long p = at;
        if (p < end && s.get(ValueLayout.JAVA_BYTE, p) == '-') {
            p++;
        }
        if (p >= end) {
            return false;
        }
        if (s.get(ValueLayout.JAVA_BYTE, p) == '0') {
            p++;
        } else {
            long q = digits(p, end);
            if (q == p) {
                return false;
            }
            p = q;
        }
        if (p < end && s.get(ValueLayout.JAVA_BYTE, p) == '.') {
            long q = digits(p + 1, end);
            if (q == p + 1) {
                return false;
            }
            p = q;
        }
        if (p < end && (s.get(ValueLayout.JAVA_BYTE, p) | 0x20) == 'e') {
            p++;
            if (p < end && (s.get(ValueLayout.JAVA_BYTE, p) == '+' || s.get(ValueLayout.JAVA_BYTE, p) == '-')) {
                p++;
            }
            long q = digits(p, end);
            if (q == p) {
                return false;
            }
            p = q;
        }
        return p == end;
    }

    private long digits(long p, long end) {
        while (p < end) {
            byte b = s.get(ValueLayout.JAVA_BYTE, p);
            if (b < '0' || b > '9') {
                break;
            }
            p++;
        }
        return p;
    }
}
