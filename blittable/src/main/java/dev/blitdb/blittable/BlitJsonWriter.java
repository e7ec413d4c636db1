package dev.blitdb.blittable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.blitdb.blittable.BlitFormat.*;

/**
 * Blittable → UTF-8 JSON, written straight from the document's bytes into a {@link JsonSink} through one reusable
 * chunk buffer: no Strings, no trees. Strings without the ESCAPE flag are bulk-copied; numbers come out exactly
 * (FORMAT.md §4); compressed strings are decompressed into per-thread scratch; objects come out in the client's
 * order or in sorted order. Trusts the document (FORMAT.md §12). Reusable, not thread-safe.
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

    public BlitJsonWriter() {
        this(16 * 1024);
    }

    /** @param chunkSize bytes handed to the sink per call (at least 64) */
    public BlitJsonWriter(int chunkSize) {
        this.out = new byte[Math.max(64, chunkSize)];
    }

    /** Writes the whole document; {@code originalOrder} false gives properties in sorted order. */
    public void write(BlitDocument doc, boolean originalOrder, JsonSink sink) throws IOException {
        write(doc.segment(), doc.base(), doc, doc.rootPosition(), originalOrder, sink);
    }

    /** Writes one value (and everything below it). */
    public void write(BlitValue value, boolean originalOrder, JsonSink sink) throws IOException {
        BlitDocument doc = value.document();
        write(doc.segment(), doc.base(), doc, value.position(), originalOrder, sink);
    }

    private void write(MemorySegment s, long base, BlitDocument doc, int position, boolean originalOrder,
                       JsonSink sink) throws IOException {
        this.sink = sink;
        this.originalOrder = originalOrder;
        this.n = 0;
        try {
            value(s, base, doc, position);
            if (n > 0) {
                sink.write(out, 0, n);
            }
        } finally {
            this.sink = null;
            this.n = 0;
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

    private void value(MemorySegment s, long base, BlitDocument doc, int position) throws IOException {
        long at = base + position;
        int token = Bytes.u8(s, at);
        switch (token & TYPE_MASK) {
            case TYPE_NULL -> ascii('n', 'u', 'l', 'l');
            case TYPE_TRUE -> ascii('t', 'r', 'u', 'e');
            case TYPE_FALSE -> {
                ascii('f', 'a', 'l', 's');
                room(1);
                out[n++] = 'e';
            }
            case TYPE_INTEGER -> integer(Bytes.zigzagDecode(Bytes.varint(s, at + 1)));
            case TYPE_DECIMAL -> {
                long signed = Bytes.varint(s, at + 1);
                long scale = Bytes.zigzagDecode(Bytes.varint(s, at + 1 + Bytes.varintSize(s, at + 1)));
                decimal((signed & 1) != 0, signed >>> 1, (int) scale);
            }
            case TYPE_NUMBER_TEXT -> {
                int len = (int) Bytes.varint(s, at + 1);
                copy(s, at + 1 + Bytes.varintSize(s, at + 1), len);
            }
            case TYPE_STRING -> {
                int len = (int) Bytes.varint(s, at + 1);
                long from = at + 1 + Bytes.varintSize(s, at + 1);
                quote();
                if ((token & FLAG_ESCAPE) == 0) {
                    copy(s, from, len);
                } else {
                    escaped(s, from, len);
                }
                quote();
            }
            case TYPE_COMPRESSED_STRING -> {
                long p = at + 1;
                int len = (int) Bytes.varint(s, p);
                p += Bytes.varintSize(s, p);
                int clen = (int) Bytes.varint(s, p);
                p += Bytes.varintSize(s, p);
                byte[] plain = Lz4.decompressToScratch(s, p, clen, len);
                quote();
                if ((token & FLAG_ESCAPE) == 0) {
                    copy(plain, len);
                } else {
                    escaped(MemorySegment.ofArray(plain), 0, len);
                }
                quote();
            }
            case TYPE_ARRAY -> {
                int w = width((token >>> OFFSET_WIDTH_SHIFT) & 3);
                int count = (int) Bytes.varint(s, at + 1);
                long offsets = at + 1 + Bytes.varintSize(s, at + 1);
                room(1);
                out[n++] = '[';
                for (int i = 0; i < count; i++) {
                    if (i > 0) {
                        room(1);
                        out[n++] = ',';
                    }
                    value(s, base, doc, position - Bytes.uint(s, offsets + (long) i * w, w));
                }
                room(1);
                out[n++] = ']';
            }
            case TYPE_OBJECT -> object(s, base, doc, position, token);
            default -> throw BlitFormatException.corrupt("bad token 0x" + Integer.toHexString(token), position);
        }
    }

    private void object(MemorySegment s, long base, BlitDocument doc, int position, int token) throws IOException {
        long at = base + position;
        int ow = width((token >>> OFFSET_WIDTH_SHIFT) & 3);
        int iw = width((token >>> ID_WIDTH_SHIFT) & 3);
        int ew = ow + iw;
        long header = Bytes.varint(s, at + 1);
        int count = (int) (header >>> 1);
        long entries = at + 1 + Bytes.varintSize(s, at + 1);
        int pw = (header & ORIGINAL_ORDER_FLAG) != 0 && originalOrder ? orderWidth(count) : 0;
        long order = entries + (long) count * ew;
        room(1);
        out[n++] = '{';
        for (int k = 0; k < count; k++) {
            if (k > 0) {
                room(1);
                out[n++] = ',';
            }
            int i = pw == 0 ? k : Bytes.uint(s, order + (long) k * pw, pw);
            long e = entries + (long) i * ew;
            int id = Bytes.uint(s, e + ow, iw);
            quote();
            escaped(s, doc.nameStart(id), doc.nameLength(id));
            room(2);
            out[n++] = '"';
            out[n++] = ':';
            value(s, base, doc, position - Bytes.uint(s, e, ow));
        }
        room(1);
        out[n++] = '}';
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

    private void escaped(MemorySegment s, long from, int len) throws IOException {
        for (long p = from, end = from + len; p < end; p++) {
            int b = s.get(ValueLayout.JAVA_BYTE, p) & 0xFF;
            byte e = ESCAPES[b];
            if (e == 0) {
                if (n == out.length) {
                    flush();
                }
                out[n++] = (byte) b;
            } else {
                room(6);
                out[n++] = '\\';
                if (e == 1) {
                    out[n++] = 'u';
                    out[n++] = '0';
                    out[n++] = '0';
                    out[n++] = HEX[b >>> 4];
                    out[n++] = HEX[b & 0xF];
                } else {
                    out[n++] = e;
                }
            }
        }
    }

    private void copy(MemorySegment s, long from, int len) throws IOException {
        while (len > 0) {
            if (n == out.length) {
                flush();
            }
            int k = Math.min(len, out.length - n);
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, from, out, n, k);
            n += k;
            from += k;
            len -= k;
        }
    }

    private void copy(byte[] src, int len) throws IOException {
        int from = 0;
        while (len > 0) {
            if (n == out.length) {
                flush();
            }
            int k = Math.min(len, out.length - n);
            System.arraycopy(src, from, out, n, k);
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
