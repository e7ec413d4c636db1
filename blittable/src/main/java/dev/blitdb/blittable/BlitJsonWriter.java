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
    /** The document being written, copied here in one bulk copy: plain array reads are the fastest reads. */
    private byte[] src = new byte[8192];
    private byte[] plain = new byte[1024];
    // Per write: name id -> start, length and escape state (0 unknown, 1 plain, 2 needs escaping).
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

    private void write(BlitDocument doc, int position, boolean originalOrder, JsonSink sink) throws IOException {
        int length = doc.length();
        if (src.length < length) {
            src = new byte[Math.max(length, src.length * 2)];
        }
        MemorySegment.copy(doc.segment(), ValueLayout.JAVA_BYTE, doc.base(), src, 0, length);
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
            this.n = 0;
        }
        if (src.length > (4 << 20) && length < src.length / 4) {
            src = new byte[8192]; // do not pin a huge buffer after one huge document
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
        int previous = uint(src, offsets, w);
        for (int id = 0; id < count; id++) {
            int next = uint(src, offsets + (id + 1) * w, w);
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

    // ---- array reads (FORMAT.md §3, little-endian) ----

    private static int uint(byte[] b, int at, int width) {
        return switch (width) {
            case 1 -> b[at] & 0xFF;
            case 2 -> (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
            default -> (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
        };
    }

    /** Position after the varint at {@code at}. */
    private static int skip(byte[] b, int at) {
        while (b[at] < 0) {
            at++;
        }
        return at + 1;
    }

    private static long varint(byte[] b, int at) {
        long v = b[at];
        if (v >= 0) {
            return v;
        }
        long result = v & 0x7F;
        int shift = 7;
        do {
            v = b[++at];
            result |= (v & 0x7F) << shift;
            shift += 7;
        } while (v < 0 && shift < 70);
        return result;
    }

    private void value(int position) throws IOException {
        byte[] b = src;
        int token = b[position] & 0xFF;
        switch (token & TYPE_MASK) {
            case TYPE_NULL -> ascii('n', 'u', 'l', 'l');
            case TYPE_TRUE -> ascii('t', 'r', 'u', 'e');
            case TYPE_FALSE -> {
                ascii('f', 'a', 'l', 's');
                room(1);
                out[n++] = 'e';
            }
            case TYPE_INTEGER -> integer(Bytes.zigzagDecode(varint(b, position + 1)));
            case TYPE_DECIMAL -> {
                long signed = varint(b, position + 1);
                long scale = Bytes.zigzagDecode(varint(b, skip(b, position + 1)));
                decimal((signed & 1) != 0, signed >>> 1, (int) scale);
            }
            case TYPE_NUMBER_TEXT -> {
                int len = (int) varint(b, position + 1);
                copy(b, skip(b, position + 1), len);
            }
            case TYPE_STRING -> {
                int len = (int) varint(b, position + 1);
                int from = skip(b, position + 1);
                if ((token & FLAG_ESCAPE) == 0) {
                    quoted(b, from, len);
                } else {
                    quote();
                    escaped(b, from, len);
                    quote();
                }
            }
            case TYPE_COMPRESSED_STRING -> {
                int p = position + 1;
                int len = (int) varint(b, p);
                p = skip(b, p);
                int clen = (int) varint(b, p);
                p = skip(b, p);
                if (plain.length < len) {
                    plain = new byte[Math.max(len, plain.length * 2)];
                }
                Lz4.decompress(b, p, clen, len, plain);
                if ((token & FLAG_ESCAPE) == 0) {
                    quoted(plain, 0, len);
                } else {
                    quote();
                    escaped(plain, 0, len);
                    quote();
                }
            }
            case TYPE_ARRAY -> {
                int w = width((token >>> OFFSET_WIDTH_SHIFT) & 3);
                int count = (int) varint(b, position + 1);
                int offsets = skip(b, position + 1);
                room(1);
                out[n++] = '[';
                for (int i = 0; i < count; i++) {
                    if (i > 0) {
                        room(1);
                        out[n++] = ',';
                    }
                    value(position - uint(b, offsets + i * w, w));
                }
                room(1);
                out[n++] = ']';
            }
            case TYPE_OBJECT -> object(position, token);
            default -> throw BlitFormatException.corrupt("bad token 0x" + Integer.toHexString(token), position);
        }
    }

    private void object(int position, int token) throws IOException {
        byte[] b = src;
        int ow = width((token >>> OFFSET_WIDTH_SHIFT) & 3);
        int iw = width((token >>> ID_WIDTH_SHIFT) & 3);
        int ew = ow + iw;
        long header = varint(b, position + 1);
        int count = (int) (header >>> 1);
        int entries = skip(b, position + 1);
        int pw = (header & ORIGINAL_ORDER_FLAG) != 0 && originalOrder ? orderWidth(count) : 0;
        int order = entries + count * ew;
        room(1);
        out[n++] = '{';
        for (int k = 0; k < count; k++) {
            int i = pw == 0 ? k : uint(b, order + k * pw, pw);
            int e = entries + i * ew;
            name(uint(b, e + ow, iw), k > 0);
            value(position - uint(b, e, ow));
        }
        room(1);
        out[n++] = '}';
    }

    /** Writes {@code ,"name":} (comma when asked), bulk-copying names that need no escaping. */
    private void name(int id, boolean comma) throws IOException {
        int start = nameStart[id];
        int len = nameLength[id];
        byte state = nameState[id];
        if (state == 0) {
            state = 1;
            for (int i = start; i < start + len; i++) {
                if (ESCAPES[src[i] & 0xFF] != 0) {
                    state = 2;
                    break;
                }
            }
            nameState[id] = state;
        }
        if (state == 1 && len + 4 <= out.length - n) {
            byte[] o = out;
            int p = n;
            if (comma) {
                o[p++] = ',';
            }
            o[p++] = '"';
            System.arraycopy(src, start, o, p, len);
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
            copy(src, start, len);
        } else {
            escaped(src, start, len);
        }
        room(2);
        out[n++] = '"';
        out[n++] = ':';
    }

    /** A string without escapes: quote, bytes, quote — in one step when it fits the chunk. */
    private void quoted(byte[] b, int from, int len) throws IOException {
        if (len + 2 <= out.length - n) {
            byte[] o = out;
            int p = n;
            o[p++] = '"';
            System.arraycopy(b, from, o, p, len);
            p += len;
            o[p++] = '"';
            n = p;
            return;
        }
        quote();
        copy(b, from, len);
        quote();
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

    private void escaped(byte[] b, int from, int len) throws IOException {
        for (int p = from, end = from + len; p < end; p++) {
            int c = b[p] & 0xFF;
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
