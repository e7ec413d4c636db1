package dev.blitdb.blittable;

import static dev.blitdb.blittable.BlitFormat.*;

/**
 * Writes string values for a {@link BlitBuilder} (FORMAT.md §8): UTF-8 from UTF-16 chars or straight from JSON input,
 * the ESCAPE flag, and LZ4 compression when it pays. Keeps its compression scratch across documents.
 */
final class StringEncoder {
    private static final java.lang.invoke.VarHandle LONG_VIEW = java.lang.invoke.MethodHandles
            .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private final BlitBuilder b;
    private final Lz4Block lz4 = new Lz4Block();
    private byte[] compressed = new byte[1024];

    StringEncoder(BlitBuilder builder) {
        this.b = builder;
    }

    /** A string from a {@link CharSequence}. */
    void write(CharSequence s) {
        if (b.spilling() && s.length() > LONG_STRING_CHARS && 3L * s.length() > b.window / 2) {
            int n = s.length();
            char[] chars = charScratch(Math.min(n, 8 << 10));
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                char ch = s.charAt(i);
                bytes += ch < 0x80 ? 1 : ch < 0x800 || Character.isSurrogate(ch) ? 2 : 3;
            }
            writeLong(null, s, 0, n, (int) Math.min(bytes, Integer.MAX_VALUE - 64), chars);
            return;
        }
        b.ensure(1 + 5 + 3 * s.length());
        int at = b.pos;
        finishString(at, at + 6, Utf8.encode(s, b.buf, at + 6));
    }

    /**
     * A string copied straight from JSON input: {@code json[from, ...)} up to the closing quote, when it holds no
     * escape and no control byte (the input was validated as UTF-8 beforehand). Returns false, writing nothing, when
     * the string needs Jackson's decoding after all. Skips a decode to UTF-16 and an encode back to UTF-8.
     */
    boolean writeRaw(byte[] json, int from, int limit) {
        int i = from;
        // 8 bytes at a time while no byte is '"', '\\' or below 0x20 (SWAR zero-byte tests).
        while (i + 8 <= limit) {
            long v = (long) LONG_VIEW.get(json, i);
            long quote = v ^ 0x2222222222222222L;
            long slash = v ^ 0x5C5C5C5C5C5C5C5CL;
            long found = ((quote - 0x0101010101010101L) & ~quote) | ((slash - 0x0101010101010101L) & ~slash)
                    | ((v - 0x2020202020202020L) & ~v);
            if ((found & 0x8080808080808080L) != 0) {
                break;
            }
            i += 8;
        }
        while (i < limit) {
            int c = json[i] & 0xFF;
            if (c == '"') {
                break;
            }
            if (c == '\\' || c < 0x20) {
                return false;
            }
            i++;
        }
        if (i >= limit) {
            return false;
        }
        int len = i - from;
        if (b.spilling() && len > b.window / 2) {
            int at = beginLong(len);
            int src = at + 1 + Bytes.varintLength(len);
            java.lang.foreign.MemorySegment.copy(java.lang.foreign.MemorySegment.ofArray(json), from,
                    b.spillRoom(0), src, len);
            finishLong(at, src, len, 0);
            return true;
        }
        b.ensure(1 + 5 + len);
        int at = b.pos;
        int src = at + 1 + Bytes.varintLength(len);
        System.arraycopy(json, from, b.buf, src, len);
        finishString(at, src, src + len);
        return true;
    }

    /**
     * {@link #writeRaw(byte[], int, int)} from JSON in a segment: the string's bytes go from the segment straight
     * into the builder (reserving their length once), never through a String or Jackson's text buffer. A string
     * with escapes is decoded here too ({@link JsonEscapes}); false only for what Jackson must report.
     */
    boolean writeRaw(java.lang.foreign.MemorySegment json, long from, long limit) {
        long i = from;
        while (i + 8 <= limit) {
            long v = json.get(LE_LONG, i);
            long quote = v ^ 0x2222222222222222L;
            long slash = v ^ 0x5C5C5C5C5C5C5C5CL;
            long found = ((quote - 0x0101010101010101L) & ~quote) | ((slash - 0x0101010101010101L) & ~slash)
                    | ((v - 0x2020202020202020L) & ~v);
            if ((found & 0x8080808080808080L) != 0) {
                break;
            }
            i += 8;
        }
        while (i < limit) {
            int c = json.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i) & 0xFF;
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                return writeEscaped(json, from, limit);
            }
            if (c < 0x20) {
                return false;
            }
            i++;
        }
        if (i >= limit || i - from > Integer.MAX_VALUE - 64) {
            return false;
        }
        int len = (int) (i - from);
        if (b.spilling() && len > b.window / 2) {
            int at = beginLong(len);
            int src = at + 1 + Bytes.varintLength(len);
            java.lang.foreign.MemorySegment.copy(json, from, b.spillRoom(0), src, len);
            finishLong(at, src, len, 0);
            return true;
        }
        b.ensure(1 + 5 + len);
        int at = b.pos;
        int src = at + 1 + Bytes.varintLength(len);
        java.lang.foreign.MemorySegment.copy(json, java.lang.foreign.ValueLayout.JAVA_BYTE, from, b.buf, src, len);
        finishString(at, src, src + len);
        return true;
    }

    private final long[] end = new long[1];

    /** A string with escapes, decoded from the segment (never Jackson's text buffer); see {@link JsonEscapes}. */
    private boolean writeEscaped(java.lang.foreign.MemorySegment json, long from, long limit) {
        long m = JsonEscapes.measure(json, from, limit, end);
        if (m == JsonEscapes.NOT_MINE || (m & ~(JsonEscapes.ESCAPE | JsonEscapes.UNPAIRED)) > Integer.MAX_VALUE - 64) {
            return false;
        }
        if ((m & JsonEscapes.UNPAIRED) != 0) {
            throw unpaired();
        }
        int len = JsonEscapes.length(m);
        int flags = (m & JsonEscapes.ESCAPE) != 0 ? FLAG_ESCAPE : 0;
        if (b.spilling() && len > b.window / 2) {
            int at = beginLong(len);
            int src = at + 1 + Bytes.varintLength(len);
            JsonEscapes.decode(json, from, end[0], b.buf, 0, b.spillRoom(0), src);
            finishLong(at, src, len, flags);
            return true;
        }
        b.ensure(1 + 5 + len);
        int at = b.pos;
        int src = at + 1 + Bytes.varintLength(len);
        JsonEscapes.decode(json, from, end[0], b.buf, src, null, 0);
        finishString(at, src, (src + len) | (flags != 0 ? Utf8.ESCAPE_BIT : 0));
        return true;
    }

    // ---- long strings of a spilling document: written straight into the spill space (FORMAT.md §14) ----

    private char[] chars;

    private char[] charScratch(int n) {
        if (chars == null || chars.length < n) {
            chars = new char[n];
        }
        return chars;
    }

    /** Flushes the window and makes room for a string of {@code bytes} (and its compression); its position. */
    private int beginLong(long bytes) {
        b.flush();
        int at = b.spilled;
        long endAt = at + 6 + bytes;
        if (endAt > b.limits.maxDocumentSize() + 64L) {
            throw b.tooLarge(endAt);
        }
        b.spillRoom(6 + 2 * bytes + bytes / 255 + 16);
        return at;
    }

    /**
     * A long string from {@code c[off, off + len)} (or {@code s}, through {@code stage}) of exactly {@code bytes}
     * UTF-8 bytes: encoded piece by piece through the builder's (empty) window into the spill space.
     */
    private void writeLong(char[] c, CharSequence s, int off, int len, int bytes, char[] stage) {
        int at = beginLong(bytes);
        int src = at + 1 + Bytes.varintLength(bytes);
        java.lang.foreign.MemorySegment sink = b.spillRoom(0);
        byte[] out = b.buf;
        int step = Math.min(out.length / 3 - 1, c == null ? stage.length : Integer.MAX_VALUE);
        long dst = src;
        long escape = 0;
        for (int i = off, endAt = off + len; i < endAt; ) {
            int k = Math.min(step, endAt - i);
            char[] from = c;
            int fromOff = i;
            if (c == null) {
                for (int j = 0; j < k; j++) {
                    stage[j] = s.charAt(i + j);
                }
                from = stage;
                fromOff = 0;
            }
            if (i + k < endAt && k > 1 && Character.isHighSurrogate(from[fromOff + k - 1])) {
                k--; // keep a surrogate pair in one piece
            }
            long r = Utf8.encode(from, fromOff, k, out, 0);
            if (r == Utf8.UNPAIRED_SURROGATE) {
                throw unpaired();
            }
            escape |= r & Utf8.ESCAPE_BIT;
            int n = (int) r;
            java.lang.foreign.MemorySegment.copy(out, 0, sink, java.lang.foreign.ValueLayout.JAVA_BYTE, dst, n);
            dst += n;
            i += k;
        }
        finishLong(at, src, bytes, escape != 0 ? FLAG_ESCAPE : 0);
    }

    /**
     * The string's {@code len} plain bytes are in the spill space at {@code src}: write its token and length at
     * {@code at} — or compress it, with exactly the heap path's decision ({@link #finishString}) and bytes.
     */
    private void finishLong(int at, int src, int len, int flags) {
        java.lang.foreign.MemorySegment s = b.spillRoom(0);
        byte[] head = b.buf; // the window is empty while a long string is written
        if (len >= COMPRESS_MIN_LENGTH) {
            long out = (long) src + len;
            int clen = lz4.compress(s, src, len, s, out, COMPRESS_MIN_SAVING + 1);
            int plain = 1 + Bytes.varintLength(len) + len;
            if (clen >= 0 && 1 + Bytes.varintLength(len) + Bytes.varintLength(clen) + clen <= plain - COMPRESS_MIN_SAVING) {
                head[0] = (byte) (TYPE_COMPRESSED_STRING | flags);
                int h = Bytes.putVarint(head, 1, len);
                h = Bytes.putVarint(head, h, clen);
                java.lang.foreign.MemorySegment.copy(s, out, s, at + h, clen); // moves left: overlap-safe
                java.lang.foreign.MemorySegment.copy(head, 0, s, java.lang.foreign.ValueLayout.JAVA_BYTE, at, h);
                b.spilledTo(at + h + clen);
                b.added(at);
                return;
            }
        }
        head[0] = (byte) (TYPE_STRING | flags);
        int h = Bytes.putVarint(head, 1, len);
        java.lang.foreign.MemorySegment.copy(head, 0, s, java.lang.foreign.ValueLayout.JAVA_BYTE, at, h);
        b.spilledTo(src + len);
        b.added(at);
    }

    private static final java.lang.foreign.ValueLayout.OfLong LE_LONG =
            java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Gives back a compression buffer that grew for one long string. */
    void trim() {
        if (compressed.length > BlitBuilder.RETAINED_BYTES) {
            compressed = new byte[1024];
        }
    }

    /** Above this many chars a string's room is reserved exactly rather than at 3 bytes per char. */
    static final int LONG_STRING_CHARS = 16 << 10;

    /** UTF-8 length of the chars; a surrogate counts 2 (a pair is 4 bytes; a lone one fails the encoding). */
    private static int utf8Length(char[] c, int off, int len) {
        long n = 0;
        for (int i = off, end = off + len; i < end; i++) {
            char ch = c[i];
            n += ch < 0x80 ? 1 : ch < 0x800 || Character.isSurrogate(ch) ? 2 : 3;
        }
        return (int) Math.min(n, Integer.MAX_VALUE - 64);
    }

    /** A string given as UTF-16 chars (Jackson's text buffer). */
    void write(char[] c, int off, int len) {
        if (len > LONG_STRING_CHARS) {
            // A long string: reserve its exact UTF-8 length (one pass over the chars), not 3 bytes per char, so a
            // 10 MB string needs 10 MB of room rather than 30.
            int bytes = utf8Length(c, off, len);
            if (b.spilling() && bytes > b.window / 2) {
                writeLong(c, null, off, len, bytes, null);
                return;
            }
            b.ensure(1 + 5 + bytes);
            int at = b.pos;
            int src = at + 1 + Bytes.varintLength(bytes);
            finishString(at, src, Utf8.encode(c, off, len, b.buf, src));
            return;
        }
        b.ensure(1 + 5 + 3 * len);
        int at = b.pos;
        if (3 * len < 128) {
            // Byte length surely fits one varint byte: encode in place.
            long r = Utf8.encode(c, off, len, b.buf, at + 2);
            if (r == Utf8.UNPAIRED_SURROGATE) {
                throw unpaired();
            }
            int end = (int) r;
            b.buf[at] = (byte) (TYPE_STRING | ((r & Utf8.ESCAPE_BIT) != 0 ? FLAG_ESCAPE : 0));
            b.buf[at + 1] = (byte) (end - at - 2);
            b.pos = end;
            b.added(b.spilled + at);
            return;
        }
        // Most strings are mostly ASCII: guess the varint from the char count so the bytes rarely have to move.
        int src = at + 1 + Bytes.varintLength(len);
        finishString(at, src, Utf8.encode(c, off, len, b.buf, src));
    }

    /**
     * The string's bytes were encoded from {@code src}, ending where {@code r} says; move them behind the real token
     * and length if the guess of the length's size was wrong, compressing if it pays.
     */
    private void finishString(int at, int src, long r) {
        if (r == Utf8.UNPAIRED_SURROGATE) {
            throw unpaired();
        }
        int end = (int) r;
        int len = end - src;
        int flags = (r & Utf8.ESCAPE_BIT) != 0 ? FLAG_ESCAPE : 0;
        if (len >= COMPRESS_MIN_LENGTH && tryCompress(at, src, len, flags)) {
            b.added(b.spilled + at);
            return;
        }
        b.buf[at] = (byte) (TYPE_STRING | flags);
        int p = at + 1 + Bytes.varintLength(len);
        if (p != src) {
            b.ensure(p - src + len + (src - b.pos)); // moving right needs room beyond the encoded end
            System.arraycopy(b.buf, src, b.buf, p, len);
        }
        Bytes.putVarint(b.buf, at + 1, len);
        b.pos = p + len;
        b.added(b.spilled + at);
    }

    private boolean tryCompress(int at, int src, int len, int flags) {
        int max = len + len / 255 + 16;
        if (compressed.length < max) {
            compressed = new byte[Math.max(max, compressed.length * 2)];
        }
        // Worth it only when token + both varints + block is COMPRESS_MIN_SAVING smaller than token + varint + bytes;
        // the compressed-length varint takes at least one byte, so the block must beat len by one more.
        int clen = lz4.compress(b.buf, src, len, compressed, COMPRESS_MIN_SAVING + 1);
        if (clen < 0) {
            return false;
        }
        int plain = 1 + Bytes.varintLength(len) + len;
        int packed = 1 + Bytes.varintLength(len) + Bytes.varintLength(clen) + clen;
        if (packed > plain - COMPRESS_MIN_SAVING) {
            return false;
        }
        b.buf[at] = (byte) (TYPE_COMPRESSED_STRING | flags);
        int p = Bytes.putVarint(b.buf, at + 1, len);
        p = Bytes.putVarint(b.buf, p, clen);
        System.arraycopy(compressed, 0, b.buf, p, clen);
        b.pos = p + clen;
        return true;
    }

    private static BlitFormatException unpaired() {
        return new BlitFormatException(BlitFormatException.Kind.INVALID_UTF8,
                "string has an unpaired surrogate, it cannot be stored as UTF-8", -1, -1, -1);
    }

}
