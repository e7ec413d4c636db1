package dev.blitdb.blittable;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.base.ParserBase;
import com.fasterxml.jackson.core.exc.StreamReadException;

/**
 * Converts UTF-8 JSON into a blittable document in one pass with Jackson's streaming parser. A writer is a reusable
 * context: its {@link BlitBuilder}, input buffer and Jackson factory live across documents, so steady-state
 * conversion allocates little more than Jackson's parser object.
 *
 * <p>Every failure is a {@link BlitFormatException} carrying the kind, 1-based line and column and the byte offset:
 * invalid JSON (including trailing content after the root value), invalid UTF-8, and each limit of
 * {@link BlitLimits}. Not thread-safe: one writer per thread.
 *
 * <pre>{@code
 * BlitWriter writer = new BlitWriter();
 * BlitBuilder out = writer.convert(jsonBytes, 0, jsonBytes.length);
 * store.put(id, out.segment());                 // valid until the writer's next convert
 * }</pre>
 */
public final class BlitWriter {
    private final BlitLimits limits;
    private final BlitBuilder builder;
    private final JsonFactory factory;
    private byte[] input = new byte[1 << 16];

    public BlitWriter() {
        this(BlitLimits.DEFAULT);
    }

    public BlitWriter(BlitLimits limits) {
        this(limits, BlitBuilder.WINDOW);
    }

    /** A writer whose builder spills past {@code window} bytes (tests make small documents spill). */
    BlitWriter(BlitLimits limits, int window) {
        this.limits = limits;
        this.builder = new BlitBuilder(limits, window);
        // We enforce our own limits (with our own error kinds); Jackson's must never trigger first. Numbers are
        // kept as text, so long literals are no parsing hazard (FORMAT.md §4).
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxDepth() + 1)
                .maxNumberLength(limits.maxDocumentSize())
                .maxStringLength(limits.maxDocumentSize())
                .maxNameLength(limits.maxDocumentSize())
                .maxDocumentLength(-1)
                .build();
        this.factory = new JsonFactoryBuilder().streamReadConstraints(constraints).build();
    }

    public BlitLimits limits() {
        return limits;
    }

    /** Converts the UTF-8 JSON in {@code json[off, off + len)}; the result is in the returned builder. */
    public BlitBuilder convert(byte[] json, int off, int len) {
        if (len > limits.maxDocumentSize()) {
            throw new BlitFormatException(BlitFormatException.Kind.DOCUMENT_TOO_LARGE, "JSON of " + len
                    + " bytes exceeds the document size limit of " + limits.maxDocumentSize() + " bytes", -1, -1, -1);
        }
        int bad = Utf8.firstInvalidJson(json, off, len);
        if (bad >= 0) {
            long lc = Utf8.lineColumn(json, off, bad);
            int line = (int) (lc >>> 32);
            int column = (int) lc;
            if (json[bad] == 0) {
                throw new BlitFormatException(BlitFormatException.Kind.INVALID_JSON, String.format(
                        "NUL byte at line %d, column %d (byte offset %d): JSON text cannot contain one; BlitDB "
                        + "reads UTF-8 only (not UTF-16 or UTF-32)", line, column, bad - off), line, column, bad - off);
            }
            throw new BlitFormatException(BlitFormatException.Kind.INVALID_UTF8, String.format(
                    "invalid UTF-8 byte 0x%02X at line %d, column %d (byte offset %d)",
                    json[bad] & 0xFF, line, column, bad - off), line, column, bad - off);
        }
        if (len >= 3 && json[off] == (byte) 0xEF && json[off + 1] == (byte) 0xBB && json[off + 2] == (byte) 0xBF) {
            off += 3; // a UTF-8 byte order mark: skipped here so Jackson's offsets start at the JSON text
            len -= 3;
        }
        builder.spillTo(null, 0).reset();
        try (JsonParser p = factory.createParser(json, off, len)) {
            array = json;
            drive(p, off, len);
        } catch (StreamReadException e) {
            JsonLocation at = e.getLocation();
            throw located(BlitFormatException.Kind.INVALID_JSON, e.getOriginalMessage(), at, e);
        } catch (IOException e) {
            throw new BlitFormatException(BlitFormatException.Kind.INVALID_JSON, e.getMessage(), -1, -1, -1, e);
        } finally {
            array = null;
        }
        return builder;
    }

    /**
     * Converts the UTF-8 JSON in {@code json} (e.g. a request body spooled to mapped scratch space) without copying
     * it onto the heap: it is checked in 64 KiB pieces, Jackson reads it through a stream with its own small
     * buffer, and strings without escapes are copied from the segment straight into the builder (Jackson only
     * skips them), so the heap a conversion needs is the blittable result, not the text. A heap segment backed by
     * an array takes {@link #convert(byte[], int, int)}.
     */
    public BlitBuilder convert(MemorySegment json) {
        return convert(json, null);
    }

    /**
     * {@link #convert(MemorySegment)}, building a document larger than the builder's heap window
     * ({@link BlitBuilder#WINDOW}) in {@code space} instead of a heap array (FORMAT.md §14): the heap then holds
     * the window, not the document, and the result ({@link BlitBuilder#segment()}) is a slice of {@code space},
     * valid until the space is closed or the next conversion. A smaller document is built on the heap as ever;
     * the bytes are the same either way. {@code space} may be null (heap only).
     */
    public BlitBuilder convert(MemorySegment json, SpillSpace space) {
        long len = json.byteSize();
        if (len > limits.maxDocumentSize()) {
            throw new BlitFormatException(BlitFormatException.Kind.DOCUMENT_TOO_LARGE, "JSON of " + len
                    + " bytes exceeds the document size limit of " + limits.maxDocumentSize() + " bytes", -1, -1, -1);
        }
        if (space == null && json.heapBase().orElse(null) instanceof byte[] bytes
                && json.address() <= Integer.MAX_VALUE) {
            return convert(bytes, (int) json.address(), (int) len);
        }
        long bad = Utf8.firstInvalidJson(json, 0, len, input);
        if (bad >= 0) {
            long lc = Utf8.lineColumn(json, 0, bad);
            int line = (int) (lc >>> 32);
            int column = (int) lc;
            byte at = json.get(ValueLayout.JAVA_BYTE, bad);
            if (at == 0) {
                throw new BlitFormatException(BlitFormatException.Kind.INVALID_JSON, String.format(
                        "NUL byte at line %d, column %d (byte offset %d): JSON text cannot contain one; BlitDB "
                        + "reads UTF-8 only (not UTF-16 or UTF-32)", line, column, bad), line, column, bad);
            }
            throw new BlitFormatException(BlitFormatException.Kind.INVALID_UTF8, String.format(
                    "invalid UTF-8 byte 0x%02X at line %d, column %d (byte offset %d)",
                    at & 0xFF, line, column, bad), line, column, bad);
        }
        long off = 0;
        if (len >= 3 && json.get(ValueLayout.JAVA_BYTE, 0) == (byte) 0xEF
                && json.get(ValueLayout.JAVA_BYTE, 1) == (byte) 0xBB && json.get(ValueLayout.JAVA_BYTE, 2) == (byte) 0xBF) {
            off = 3;
        }
        MemorySegment text = json.asSlice(off);
        // Blittable is rarely larger than its JSON: a large document is given about its final size at once
        // instead of growing through doublings (each holding the old and the new buffer at once).
        long estimate = Math.min(text.byteSize() + (text.byteSize() >> 4) + 1024, limits.maxDocumentSize());
        builder.spillTo(space, estimate).reset();
        if (space == null) {
            builder.ensure((int) estimate);
        }
        try (JsonParser p = factory.createParser(new SegmentInputStream(text))) {
            segment = text;
            drive(p, 0, (int) text.byteSize());
        } catch (StreamReadException e) {
            JsonLocation at = e.getLocation();
            throw located(BlitFormatException.Kind.INVALID_JSON, e.getOriginalMessage(), at, e);
        } catch (IOException e) {
            throw new BlitFormatException(BlitFormatException.Kind.INVALID_JSON, e.getMessage(), -1, -1, -1, e);
        } finally {
            segment = null;
        }
        return builder;
    }

    /**
     * Gives back buffers that grew for one large document (see {@link BlitBuilder#trim()}), so a writer kept per
     * thread does not pin the largest document it ever converted. Invalidates the last result.
     */
    public void trim() {
        builder.trim();
        if (input.length > 1 << 16) {
            input = new byte[1 << 16];
        }
    }

    /** The JSON being converted: {@link #array} or {@link #segment}, whichever is set. */
    private byte[] array;
    private MemorySegment segment;

    private byte byteAt(int i) {
        return array != null ? array[i] : segment.get(ValueLayout.JAVA_BYTE, i);
    }

    private boolean rawString(int from, int limit) {
        return array != null ? builder.rawJsonString(array, from, limit) : builder.rawJsonString(segment, from, limit);
    }

    /**
     * Reads the whole stream (refusing more than the document size limit) and converts it. The stream is not
     * closed. Reading happens into a buffer kept by this writer.
     */
    public BlitBuilder convert(InputStream in) throws IOException {
        builder.spillTo(null, 0);
        int n = 0;
        int max = limits.maxDocumentSize();
        while (true) {
            if (n == input.length) {
                if (n > max) {
                    break;
                }
                input = Arrays.copyOf(input, (int) Math.min((long) n * 2, (long) max + 1));
            }
            int r = in.read(input, n, input.length - n);
            if (r < 0) {
                break;
            }
            n += r;
            if (n > max) {
                throw new BlitFormatException(BlitFormatException.Kind.DOCUMENT_TOO_LARGE, "JSON body exceeds the "
                        + "document size limit of " + max + " bytes", -1, -1, -1);
            }
        }
        return convert(input, 0, n);
    }

    @SuppressWarnings("deprecation") // getTokenCharacterOffset: the allocation-free way to the token's byte offset
    private void drive(JsonParser p, int off, int len) throws IOException {
        BlitBuilder b = builder;
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new BlitFormatException(BlitFormatException.Kind.INVALID_JSON, "no JSON value in the input", 1, 1, 0);
        }
        int depth = 0;
        ParserBase base = p instanceof ParserBase pb ? pb : null;
        try {
            do {
                switch (t) {
                    case START_OBJECT -> {
                        b.startObject();
                        depth++;
                    }
                    case END_OBJECT -> {
                        b.endObject();
                        depth--;
                    }
                    case START_ARRAY -> {
                        b.startArray();
                        depth++;
                    }
                    case END_ARRAY -> {
                        b.endArray();
                        depth--;
                    }
                    case FIELD_NAME -> b.name(p.currentName());
                    case VALUE_STRING -> {
                        // Copy plain strings straight from the (already UTF-8-validated) input; Jackson then only
                        // skips them. Jackson's token offset is one past the token's first byte (its location
                        // reports offset - 1); the result must be the opening quote, preceded by ':', ',' or '['
                        // (or nothing), or we fall back to Jackson's decoded text.
                        long token = base == null ? -1 : base.getTokenCharacterOffset() - 1;
                        int quote = (int) (off + token);
                        if (token < 0 || token >= len || byteAt(quote) != '"' || !opensValue(off, quote)
                                || !rawString(quote + 1, off + len)) {
                            b.string(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                        }
                    }
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> b.numberLiteral(p.getTextCharacters(),
                            p.getTextOffset(), p.getTextLength());
                    case VALUE_TRUE -> b.value(true);
                    case VALUE_FALSE -> b.value(false);
                    case VALUE_NULL -> b.nullValue();
                    default -> throw new BlitFormatException(BlitFormatException.Kind.INVALID_JSON,
                            "unexpected token " + t, -1, -1, -1);
                }
                if (depth == 0) {
                    break;
                }
                t = p.nextToken();
            } while (t != null);
        } catch (BlitFormatException e) {
            if (e.line() >= 0) {
                throw e;
            }
            throw located(e.kind(), e.getMessage(), p.currentTokenLocation(), e);
        }
        if (depth != 0) {
            throw located(BlitFormatException.Kind.INVALID_JSON, "unexpected end of input", p.currentLocation(), null);
        }
        JsonToken extra = p.nextToken();
        if (extra != null) {
            throw located(BlitFormatException.Kind.INVALID_JSON, "unexpected " + extra + " after the root value",
                    p.currentTokenLocation(), null);
        }
        b.finish();
    }

    /** True when the byte before {@code quote}, whitespace skipped, is where a value may start. */
    private boolean opensValue(int off, int quote) {
        int i = quote - 1;
        byte c = 0;
        while (i >= off && ((c = byteAt(i)) == ' ' || c == '\n' || c == '\r' || c == '\t')) {
            i--;
        }
        return i < off || c == ':' || c == ',' || c == '[';
    }

    private static BlitFormatException located(BlitFormatException.Kind kind, String message, JsonLocation at,
                                               Throwable cause) {
        int line = at == null ? -1 : at.getLineNr();
        int column = at == null ? -1 : at.getColumnNr();
        long offset = at == null ? -1 : at.getByteOffset();
        return new BlitFormatException(kind, message + " at line " + line + ", column " + column
                + " (byte offset " + offset + ")", line, column, offset, cause);
    }
}
