package dev.blitdb.blittable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.blitdb.blittable.BlitFormat.*;

/**
 * Blittable → UTF-8 JSON, read in place from the document's segment (a mapped store page or a heap segment) and
 * handed to a {@link JsonSink} in chunks of one fixed buffer: no copy of the document, no Strings, no trees, so the
 * memory a write needs is the chunk (plus, once a compressed string too long for the chunk or needing escapes was
 * seen, a 72 KiB LZ4 window) whatever the document's size. Strings without the ESCAPE flag are bulk-copied; numbers
 * come out exactly (FORMAT.md §4); a compressed string that fits the chunk and needs no escapes is decompressed
 * straight into it, any other streams through the window as it decodes; objects come out in the
 * client's order or in sorted order. Trusts the document (FORMAT.md §12). Reusable, not thread-safe.
 */
public final class BlitJsonWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Per byte: 0 = copy, 1 = \\u00XX, other = the letter after the backslash. */
    private static final byte[] ESCAPES = new byte[256];

    static {
        for (int i = 0; i < 0x20; i++) {
            ESCAPES[i] = 1;
        }
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
        ESCAPES['\t'] = 't';
        ESCAPES['\b'] = 'b';
        ESCAPES['\f'] = 'f';
    }

    private final byte[] out;
    private int n;
    private JsonSink sink;
    private boolean originalOrder;
    private final char[] digits = new char[20];
    /** The document being written: read in place (a mapped store page or a heap segment), never copied. */
    private MemorySegment s;
    private long base;
    /** Streams compressed strings out through a fixed window (made on first use). */
    private Lz4Decoder lz4;
    private final Lz4Decoder.Output plainOut = this::copy;
    private final Lz4Decoder.Output escapedOut = this::escaped;
    /** HEAD: the escaped length of a compressed string, summed as it streams through {@link #countOut}. */
    private long counted;
    private final Lz4Decoder.Output countOut = (b, from, k) -> counted += escapedLength(b, from, k);
    // Per write: name id -> start (relative to base), length and escape state (0 unknown, 1 plain, 2 escaping).
    private int[] nameStart = new int[64];
    private int[] nameLength = new int[64];
    private byte[] nameState = new byte[64];

    public BlitJsonWriter() {
        this(16 * 1024);
    }

    /** @param chunkSize bytes handed to the sink per call (at least 64) */
    public BlitJsonWriter(int chunkSize) {
        this.out = new byte[Math.max(64, chunkSize)];
    }

    /** Writes the whole document; {@code originalOrder} false gives properties in sorted order. */
    public void write(BlitDocument doc, boolean originalOrder, JsonSink sink) throws IOException {
        write(doc, doc.rootPosition(), originalOrder, sink);
    }

    /** Writes one value (and everything below it). */
    public void write(BlitValue value, boolean originalOrder, JsonSink sink) throws IOException {
        write(value.document(), value.position(), originalOrder, sink);
    }

    /**
     * The number of bytes {@link #write(BlitDocument, boolean, JsonSink)} would produce, found without producing
     * them: plain strings count by their stored length, only strings flagged ESCAPE are scanned (compressed ones
     * through the same fixed window as output). For {@code HEAD}'s Content-Length. Property order does not change
     * the length.
     */
    public long measure(BlitDocument doc) {
        this.s = doc.segment();
        this.base = doc.base();
        prepareNames(doc);
        try {
            return measure(doc.rootPosition());
        } finally {
            this.s = null;
        }
    }

    private void write(BlitDocument doc, int position, boolean originalOrder, JsonSink sink) throws IOException {
        this.s = doc.segment();
        this.base = doc.base();
        prepareNames(doc);
        this.sink = sink;
        this.originalOrder = originalOrder;
        this.n = 0;
        try {
            value(position);
            if (n > 0) {
                sink.write(out, 0, n);
            }
        } finally {
            this.sink = null;
            this.s = null; // do not keep a mapped segment reachable after its read transaction
            this.n = 0;
        }
    }

    private void prepareNames(BlitDocument doc) {
        int count = doc.nameCount();
        if (nameStart.length < count) {
            int size = Math.max(count, nameStart.length * 2);
            nameStart = new int[size];
            nameLength = new int[size];
            nameState = new byte[size];
        }
        int w = doc.nameWidth();
        int offsets = doc.nameOffsetsPosition();
        int data = doc.nameDataPosition();
        int previous = uint(offsets, w);
        for (int id = 0; id < count; id++) {
            int next = uint(offsets + (id + 1) * w, w);
            nameStart[id] = data + previous;
            nameLength[id] = next - previous;
            nameState[id] = 0;
            previous = next;
        }
    }

    /** Convenience for tests and tools: the document as a new byte array (allocates). */
    public static byte[] toJson(BlitDocument doc, boolean originalOrder) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            new BlitJsonWriter().write(doc, originalOrder, JsonSink.of(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    // ---- reads at document positions (FORMAT.md §3, little-endian) ----

    private byte at(int position) {
        return s.get(ValueLayout.JAVA_BYTE, base + position);
    }

    private int uint(int position, int width) {
        return Bytes.uint(s, base + position, width);
    }

    /** Position after the varint at {@code position}. */
    private int skip(int position) {
        while (at(position) < 0) {
            position++;
        }
        return position + 1;
    }

    private long varint(int position) {
        return Bytes.varint(s, base + position);
    }

    private void value(int position) throws IOException {
        int token = at(position) & 0xFF;
        switch (token & TYPE_MASK) {
            case TYPE_NULL -> ascii('n', 'u', 'l', 'l');
            case TYPE_TRUE -> ascii('t', 'r', 'u', 'e');
            case TYPE_FALSE -> {
                ascii('f', 'a', 'l', 's');
                room(1);
                out[n++] = 'e';
            }
            case TYPE_INTEGER -> integer(Bytes.zigzagDecode(varint(position + 1)));
            case TYPE_DECIMAL -> {
                long signed = varint(position + 1);
                long scale = Bytes.zigzagDecode(varint(skip(position + 1)));
                decimal((signed & 1) != 0, signed >>> 1, (int) scale);
            }
            case TYPE_NUMBER_TEXT -> {
                int len = (int) varint(position + 1);
                copy(skip(position + 1), len);
            }
            case TYPE_STRING -> {
                int len = (int) varint(position + 1);
                int from = skip(position + 1);
                if ((token & FLAG_ESCAPE) == 0) {
                    quoted(from, len);
                } else {
                    quote();
                    escaped(from, len);
                    quote();
                }
            }
            case TYPE_COMPRESSED_STRING -> {
                int p = position + 1;
                int len = (int) varint(p);
                p = skip(p);
                int clen = (int) varint(p);
                p = skip(p);
                if ((token & FLAG_ESCAPE) == 0 && len + 2 <= out.length) {
                    // Straight into the chunk; the rest of the chunk is free, so the decoder may copy wide.
                    room(len + 2);
                    out[n++] = '"';
                    Lz4Decoder.decode(s, base + p, clen, len, out, n, out.length);
                    n += len;
                    out[n++] = '"';
                } else {
                    quote();
                    decoder().stream(s, base + p, clen, len, (token & FLAG_ESCAPE) == 0 ? plainOut : escapedOut);
                    quote();
                }
            }
            case TYPE_ARRAY -> {
                int w = width((token >>> OFFSET_WIDTH_SHIFT) & 3);
                int count = (int) varint(position + 1);
                int offsets = skip(position + 1);
                room(1);
                out[n++] = '[';
                for (int i = 0; i < count; i++) {
                    if (i > 0) {
                        room(1);
                        out[n++] = ',';
                    }
                    value(position - uint(offsets + i * w, w));
                }
                room(1);
                out[n++] = ']';
            }
            case TYPE_OBJECT -> object(position, token);
            default -> throw BlitFormatException.corrupt("bad token 0x" + Integer.toHexString(token), position);
        }
    }

    private Lz4Decoder decoder() {
        if (lz4 == null) {
            lz4 = new Lz4Decoder();
        }
        return lz4;
    }

    private void object(int position, int token) throws IOException {
        int ow = width((token >>> OFFSET_WIDTH_SHIFT) & 3);
        int iw = width((token >>> ID_WIDTH_SHIFT) & 3);
        int ew = ow + iw;
        long header = varint(position + 1);
        int count = (int) (header >>> 1);
        int entries = skip(position + 1);
        int pw = (header & ORIGINAL_ORDER_FLAG) != 0 && originalOrder ? orderWidth(count) : 0;
        int order = entries + count * ew;
        room(1);
        out[n++] = '{';
        for (int k = 0; k < count; k++) {
            int i = pw == 0 ? k : uint(order + k * pw, pw);
            int e = entries + i * ew;
            name(uint(e + ow, iw), k > 0);
            value(position - uint(e, ow));
        }
        room(1);
        out[n++] = '}';
    }

    /** 1 when name {@code id} needs no escaping, 2 when it does (computed once per write). */
    private byte nameState(int id) {
        byte state = nameState[id];
        if (state == 0) {
            state = 1;
            int start = nameStart[id];
            for (int i = start, end = start + nameLength[id]; i < end; i++) {
                if (ESCAPES[at(i) & 0xFF] != 0) {
                    state = 2;
                    break;
                }
            }
            nameState[id] = state;
        }
        return state;
    }

    /** Writes {@code ,"name":} (comma when asked), bulk-copying names that need no escaping. */
    private void name(int id, boolean comma) throws IOException {
        int start = nameStart[id];
        int len = nameLength[id];
        byte state = nameState(id);
        if (state == 1 && len + 4 <= out.length - n) {
            byte[] o = out;
            int p = n;
            if (comma) {
                o[p++] = ',';
            }
            o[p++] = '"';
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, base + start, o, p, len);
            p += len;
            o[p++] = '"';
            o[p++] = ':';
            n = p;
            return;
        }
        if (comma) {
            room(1);
            out[n++] = ',';
        }
        quote();
        if (state == 1) {
            copy(start, len);
        } else {
            escaped(start, len);
        }
        room(2);
        out[n++] = '"';
        out[n++] = ':';
    }

    /** A string without escapes: quote, bytes, quote — in one step when it fits the chunk. */
    private void quoted(int from, int len) throws IOException {
        if (len + 2 <= out.length - n) {
            byte[] o = out;
            int p = n;
            o[p++] = '"';
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, base + from, o, p, len);
            p += len;
            o[p++] = '"';
            n = p;
            return;
        }
        quote();
        copy(from, len);
        quote();
    }

    // ---- measuring (HEAD) ----

    private long measure(int position) {
        int token = at(position) & 0xFF;
        return switch (token & TYPE_MASK) {
            case TYPE_NULL, TYPE_TRUE -> 4;
            case TYPE_FALSE -> 5;
            case TYPE_INTEGER -> integerLength(Bytes.zigzagDecode(varint(position + 1)));
            case TYPE_DECIMAL -> {
                long signed = varint(position + 1);
                long scale = Bytes.zigzagDecode(varint(skip(position + 1)));
                yield decimalLength((signed & 1) != 0, signed >>> 1, (int) scale);
            }
            case TYPE_NUMBER_TEXT -> varint(position + 1);
            case TYPE_STRING -> {
                int len = (int) varint(position + 1);
                yield 2 + ((token & FLAG_ESCAPE) == 0 ? len : escapedLength(skip(position + 1), len));
            }
            case TYPE_COMPRESSED_STRING -> {
                int p = position + 1;
                int len = (int) varint(p);
                if ((token & FLAG_ESCAPE) == 0) {
                    yield 2L + len;
                }
                p = skip(p);
                int clen = (int) varint(p);
                p = skip(p);
                counted = 0;
                try {
                    decoder().stream(s, base + p, clen, len, countOut);
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // the counting output does no I/O
                }
                yield 2 + counted;
            }
            case TYPE_ARRAY -> {
                int w = width((token >>> OFFSET_WIDTH_SHIFT) & 3);
                int count = (int) varint(position + 1);
                int offsets = skip(position + 1);
                long total = 2 + Math.max(0, count - 1);
                for (int i = 0; i < count; i++) {
                    total += measure(position - uint(offsets + i * w, w));
                }
                yield total;
            }
            case TYPE_OBJECT -> {
                int ow = width((token >>> OFFSET_WIDTH_SHIFT) & 3);
                int iw = width((token >>> ID_WIDTH_SHIFT) & 3);
                int count = (int) (varint(position + 1) >>> 1);
                int entries = skip(position + 1);
                long total = 2 + Math.max(0, count - 1);
                for (int i = 0; i < count; i++) {
                    int e = entries + i * (ow + iw);
                    int id = uint(e + ow, iw);
                    int start = nameStart[id];
                    int len = nameLength[id];
                    total += 3 + (nameState(id) == 1 ? len : escapedLength(start, len));
                    total += measure(position - uint(e, ow));
                }
                yield total;
            }
            default -> throw BlitFormatException.corrupt("bad token 0x" + Integer.toHexString(token), position);
        };
    }

    private long escapedLength(int from, int len) {
        long total = 0;
        for (int p = from, end = from + len; p < end; p++) {
            total += escapedLength(ESCAPES[at(p) & 0xFF]);
        }
        return total;
    }

    private static long escapedLength(byte[] b, int from, int len) {
        long total = 0;
        for (int p = from, end = from + len; p < end; p++) {
            total += escapedLength(ESCAPES[b[p] & 0xFF]);
        }
        return total;
    }

    private static int escapedLength(byte escape) {
        return escape == 0 ? 1 : escape == 1 ? 6 : 2;
    }

    private long integerLength(long v) {
        if (v == Long.MIN_VALUE) {
            return 20;
        }
        int len = v < 0 ? 2 : 1;
        v = Math.abs(v);
        while (v >= 10) {
            v /= 10;
            len++;
        }
        return len;
    }

    /** Mirrors {@link #decimal}: same digits, same choice of plain or scientific notation. */
    private long decimalLength(boolean negative, long mag, int scale) {
        int count = 1;
        for (long m = mag; Long.compareUnsigned(m, 10) >= 0; m = Long.divideUnsigned(m, 10)) {
            count++;
        }
        long adjusted = (long) count - 1 - scale;
        long len = negative ? 1 : 0;
        if (scale > 0 && adjusted >= -6) {
            int intDigits = count - scale;
            return len + (intDigits <= 0 ? 2 - intDigits + count : count + 1);
        }
        len += count + (count > 1 ? 1 : 0) + 1 + (adjusted >= 0 ? 1 : 0);
        return len + integerLength(adjusted);
    }

    // ---- numbers ----

    private void integer(long v) throws IOException {
        room(20);
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                for (byte b : "-9223372036854775808".getBytes(java.nio.charset.StandardCharsets.US_ASCII)) {
                    out[n++] = b;
                }
                return;
            }
            out[n++] = '-';
            v = -v;
        }
        int d = 20;
        do {
            digits[--d] = (char) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        while (d < 20) {
            out[n++] = (byte) digits[d++];
        }
    }

    /** FORMAT.md §4: plain when scale > 0 and adjusted >= -6, else scientific (so a DECIMAL always reads back as one). */
    private void decimal(boolean negative, long mag, int scale) throws IOException {
        int d = 20;
        do {
            digits[--d] = (char) ('0' + mag % 10);
            mag /= 10;
        } while (mag != 0);
        int count = 20 - d;
        long adjusted = (long) count - 1 - scale;
        room(48);
        if (negative) {
            out[n++] = '-';
        }
        if (scale > 0 && adjusted >= -6) {
            int intDigits = count - scale;
            if (intDigits <= 0) {
                out[n++] = '0';
                out[n++] = '.';
                for (int z = intDigits; z < 0; z++) {
                    room(1);
                    out[n++] = '0';
                }
                room(20);
                while (d < 20) {
                    out[n++] = (byte) digits[d++];
                }
            } else {
                for (int i = 0; i < intDigits; i++) {
                    out[n++] = (byte) digits[d++];
                }
                if (scale > 0) {
                    out[n++] = '.';
                    while (d < 20) {
                        out[n++] = (byte) digits[d++];
                    }
                }
            }
            return;
        }
        out[n++] = (byte) digits[d++];
        if (d < 20) {
            out[n++] = '.';
            while (d < 20) {
                out[n++] = (byte) digits[d++];
            }
        }
        out[n++] = 'E';
        if (adjusted >= 0) {
            out[n++] = '+';
        }
        integer(adjusted);
    }

    // ---- bytes ----

    /** Escapes the document's bytes at {@code [from, from + len)}. */
    private void escaped(int from, int len) throws IOException {
        for (int p = from, end = from + len; p < end; p++) {
            escapedByte(at(p) & 0xFF);
        }
    }

    private void escaped(byte[] b, int from, int len) throws IOException {
        for (int p = from, end = from + len; p < end; p++) {
            escapedByte(b[p] & 0xFF);
        }
    }

    private void escapedByte(int c) throws IOException {
        byte e = ESCAPES[c];
        if (e == 0) {
            if (n == out.length) {
                flush();
            }
            out[n++] = (byte) c;
        } else {
            room(6);
            out[n++] = '\\';
            if (e == 1) {
                out[n++] = 'u';
                out[n++] = '0';
                out[n++] = '0';
                out[n++] = HEX[c >>> 4];
                out[n++] = HEX[c & 0xF];
            } else {
                out[n++] = e;
            }
        }
    }

    /** Copies the document's bytes at {@code [from, from + len)}, chunk by chunk. */
    private void copy(int from, int len) throws IOException {
        long at = base + from;
        while (len > 0) {
            if (n == out.length) {
                flush();
            }
            int k = Math.min(len, out.length - n);
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, at, out, n, k);
            n += k;
            at += k;
            len -= k;
        }
    }

    private void copy(byte[] b, int from, int len) throws IOException {
        while (len > 0) {
            if (n == out.length) {
                flush();
            }
            int k = Math.min(len, out.length - n);
            System.arraycopy(b, from, out, n, k);
            n += k;
            from += k;
            len -= k;
        }
    }

    private void quote() throws IOException {
        room(1);
        out[n++] = '"';
    }

    private void ascii(char a, char b, char c, char d) throws IOException {
        room(4);
        out[n++] = (byte) a;
        out[n++] = (byte) b;
        out[n++] = (byte) c;
        out[n++] = (byte) d;
    }

    private void room(int k) throws IOException {
        if (n + k > out.length) {
            flush();
        }
    }

    private void flush() throws IOException {
        sink.write(out, 0, n);
        n = 0;
    }
}
