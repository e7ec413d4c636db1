package dev.blitdb.server.http.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.errors.ApiException;

import java.io.IOException;

/**
 * The one reader of request envelopes — the small JSON bodies that say what to do (index definitions, priority
 * changes, bulk_docs commands, queries), as opposed to documents, which go straight to blittable. Every route reads
 * its envelope through {@link #read}, so malformed JSON gets the same answer everywhere: 400 {@code InvalidJson}
 * with numeric {@code Line}, {@code Column} and {@code ByteOffset}, and a message that repeats the position. A
 * well-formed body of the wrong shape is the caller's {@link #badRequest} (400 {@code BadRequest}, same fields).
 *
 * <p>Jackson sometimes has no location for its exception (constraint violations); the parser's own position is
 * used then, so the body never lacks one. Duplicate keys are refused: a repeated key is almost always a mistake
 * that would otherwise silently win or lose.
 */
public final class JsonEnvelope {

    /** Envelopes are small: Jackson's default limits apply (nesting 1000 levels, 20 MB strings). */
    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonEnvelope() {
    }

    /** Reads the envelope from a parser positioned before its first token; may throw Jackson's exceptions. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(JsonParser parser) throws IOException;
    }

    /** Parses {@code body[0, length)} with {@code reader}; see the class comment for the errors. */
    public static <T> T read(byte[] body, int length, Reader<T> reader) {
        return read(FACTORY, body, length, reader);
    }

    /** As {@link #read(byte[], int, Reader)} with a factory of the caller's (other limits, e.g. bulk_docs). */
    public static <T> T read(JsonFactory factory, byte[] body, int length, Reader<T> reader) {
        if (length == 0) {
            throw new ApiException(ApiError.INVALID_JSON, "invalid JSON: the body is empty at line 1, column 1")
                    .with("Line", 1).with("Column", 1).with("ByteOffset", 0);
        }
        JsonParser parser = null;
        try {
            parser = factory.createParser(body, 0, length);
            return reader.read(parser);
        } catch (StreamConstraintsException e) {
            throw located(ApiError.BAD_REQUEST, "the body is nested too deeply or too large: " + what(e),
                    where(e, parser));
        } catch (JsonProcessingException e) {
            throw located(ApiError.INVALID_JSON, "invalid JSON: " + what(e), where(e, parser));
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the body: " + e.getMessage()); // a byte array does no I/O
        } finally {
            if (parser != null) {
                try {
                    parser.close();
                } catch (IOException ignored) {
                    // a parser over a byte array holds nothing to release
                }
            }
        }
    }

    /** A 400 {@code BadRequest} for a well-formed body of the wrong shape, at the parser's current token. */
    public static ApiException badRequest(JsonParser parser, String message) {
        return located(ApiError.BAD_REQUEST, message, parser.currentTokenLocation());
    }

    /** Fails unless the parser has reached the end of the body (no second value after the envelope). */
    public static void requireEnd(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw badRequest(parser, "unexpected content after the body's JSON value");
        }
    }

    /**
     * An error of type {@code error} at {@code at}: the message gets " at line L, column C" and the body numeric
     * {@code Line}, {@code Column} (1-based) and {@code ByteOffset} (0-based; absent when unknown).
     */
    public static ApiException located(ApiError error, String message, JsonLocation at) {
        int line = at == null ? 1 : Math.max(1, at.getLineNr());
        int column = at == null ? 1 : Math.max(1, at.getColumnNr());
        ApiException api = new ApiException(error, message + " at line " + line + ", column " + column)
                .with("Line", line).with("Column", column);
        long offset = at == null ? -1 : at.getByteOffset();
        if (offset >= 0) {
            api.with("ByteOffset", offset);
        }
        return api;
    }

    private static String what(JsonProcessingException e) {
        return e.getOriginalMessage() != null ? e.getOriginalMessage() : e.getClass().getSimpleName();
    }

    private static JsonLocation where(JsonProcessingException e, JsonParser parser) {
        if (e.getLocation() != null) {
            return e.getLocation();
        }
        return parser == null ? null : parser.currentLocation();
    }
}
