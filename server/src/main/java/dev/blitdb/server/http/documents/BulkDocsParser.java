package dev.blitdb.server.http.documents;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.blitdb.blittable.BlitBuilder;
import dev.blitdb.blittable.BlitFormatException;
import dev.blitdb.blittable.BlitLimits;
import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.blittable.SegmentInputStream;
import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.errors.ApiException;
import dev.blitdb.server.http.json.JsonEnvelope;
import dev.blitdb.storage.documents.DocumentCommand;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a {@code bulk_docs} body, {@code {"Commands":[{"Type":"PUT"|"DELETE","Id":…,"Document":{…},
 * "ChangeVector":…}, …]}}, into storage commands. Jackson's streaming parser walks the envelope; each
 * {@code Document} is not parsed twice into a tree but located by byte range and converted straight from the
 * request buffer by the worker's {@link BlitWriter}. Unknown properties are refused so a typo cannot silently
 * drop a change vector. Errors are 400s naming the command and the position.
 */
final class BulkDocsParser {

    /** One more level than a document may have, for the envelope: Commands array and command object. */
    private static final JsonFactory FACTORY = new JsonFactoryBuilder().streamReadConstraints(
            StreamReadConstraints.builder()
                    .maxNestingDepth(BlitLimits.DEFAULT.maxDepth() + 3)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxDocumentLength(-1)
                    .build()).build();

    private BulkDocsParser() {
    }

    /** Where the Documents' bytes are: converted by range, from a heap array or from a (spooled) segment. */
    @FunctionalInterface
    private interface Documents {
        BlitBuilder convert(BlitWriter writer, long start, long length);
    }

    /**
     * Parses a body given as a segment: a heap body by array, a spooled one through a stream over the mapping (the
     * envelope parser needs only its own small buffer; each Document is converted from the mapping in place).
     */
    static List<DocumentCommand> parse(MemorySegment body, BlitWriter writer) {
        if (body.heapBase().orElse(null) instanceof byte[] array && body.address() == 0) {
            return parse(array, (int) body.byteSize(), writer);
        }
        return parse(new SegmentInputStream(body), body.byteSize(),
                (w, start, length) -> w.convert(body.asSlice(start, length)), writer);
    }

    static List<DocumentCommand> parse(byte[] body, int length, BlitWriter writer) {
        return parse(null, length, (w, start, len) -> w.convert(body, (int) start, (int) len), writer, body);
    }

    private static List<DocumentCommand> parse(InputStream stream, long length, Documents documents,
                                               BlitWriter writer) {
        return parse(stream, length, documents, writer, null);
    }

    private static List<DocumentCommand> parse(InputStream stream, long length, Documents body, BlitWriter writer,
                                               byte[] array) {
        if (length == 0) {
            throw JsonEnvelope.located(ApiError.INVALID_JSON, "the body is empty; expected {\"Commands\":[…]}", null);
        }
        JsonParser p = null;
        try {
            p = array != null ? FACTORY.createParser(array, 0, (int) length) : FACTORY.createParser(stream);
            expect(p, p.nextToken(), JsonToken.START_OBJECT, "the body must be an object {\"Commands\":[…]}");
            List<DocumentCommand> commands = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!name.equals("Commands")) {
                    throw error(p, "unknown property '" + name + "'; the body is {\"Commands\":[…]}");
                }
                expect(p, p.nextToken(), JsonToken.START_ARRAY, "Commands must be an array");
                commands = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    commands.add(command(p, body, writer, commands.size()));
                }
            }
            if (p.nextToken() != null) {
                throw error(p, "unexpected content after the body's object");
            }
            if (commands == null) {
                throw ApiException.badRequest("the body has no Commands array");
            }
            return commands;
        } catch (StreamConstraintsException e) {
            // Thrown without a location; the parser still knows where it stopped.
            throw JsonEnvelope.located(ApiError.BAD_REQUEST, "the bulk_docs body is nested deeper than a document "
                    + "may be (" + BlitLimits.DEFAULT.maxDepth() + " levels)", p.currentLocation());
        } catch (JsonProcessingException e) {
            throw JsonEnvelope.located(ApiError.INVALID_JSON, "invalid JSON in the bulk_docs body: "
                    + e.getOriginalMessage(), e.getLocation() != null ? e.getLocation() : p.currentLocation());
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the bulk_docs body: " + e.getMessage());
        } finally {
            if (p != null) {
                try {
                    p.close();
                } catch (IOException ignored) {
                    // a parser over a byte array or a segment has nothing to release
                }
            }
        }
    }

    private static DocumentCommand command(JsonParser p, Documents body, BlitWriter writer, int index)
            throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, "command " + index + " must be an object");
        String type = null;
        String id = null;
        String changeVector = null;
        byte[] document = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "Type" -> type = text(p, value, index, name);
                case "Id" -> id = text(p, value, index, name);
                case "ChangeVector" -> changeVector = value == JsonToken.VALUE_NULL ? null : text(p, value, index, name);
                case "Document" -> document = document(p, value, body, writer, index);
                default -> throw error(p, "command " + index + ": unknown property '" + name
                        + "' (expected Type, Id, Document, ChangeVector)");
            }
        }
        if (type == null || id == null) {
            throw ApiException.badRequest("command " + index + " needs a Type (PUT or DELETE) and an Id");
        }
        return switch (type.toUpperCase(Locale.ROOT)) {
            case "PUT" -> {
                if (document == null) {
                    throw ApiException.badRequest("command " + index + " (PUT '" + id + "') needs a Document object");
                }
                yield new DocumentCommand.Put(id, document, changeVector);
            }
            case "DELETE" -> {
                if (document != null) {
                    throw ApiException.badRequest("command " + index + " (DELETE '" + id + "') has a Document");
                }
                yield new DocumentCommand.Delete(id, changeVector);
            }
            default -> throw ApiException.badRequest("command " + index + ": Type '" + type
                    + "' is not PUT or DELETE");
        };
    }

    private static byte[] document(JsonParser p, JsonToken value, Documents body, BlitWriter writer, int index)
            throws IOException {
        expect(p, value, JsonToken.START_OBJECT, "command " + index + ": Document must be an object");
        long start = p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        long end = p.currentTokenLocation().getByteOffset() + 1;
        try {
            return body.convert(writer, start, end - start).toByteArray();
        } catch (BlitFormatException e) {
            if (e.kind().tooLarge()) {
                throw e;
            }
            long at = e.byteOffset() < 0 ? start : start + e.byteOffset();
            throw new ApiException(e.kind() == BlitFormatException.Kind.INVALID_UTF8
                    || e.kind() == BlitFormatException.Kind.INVALID_JSON ? ApiError.INVALID_JSON : ApiError.BAD_REQUEST,
                    "command " + index + ": Document: " + e.getMessage() + " (byte offset " + at + " in the body)")
                    .with("CommandIndex", index).with("ByteOffset", at);
        }
    }

    private static String text(JsonParser p, JsonToken value, int index, String name) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw error(p, "command " + index + ": " + name + " must be a string");
        }
        return p.getText();
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String message) {
        if (actual != expected) {
            throw error(p, message);
        }
    }

    private static ApiException error(JsonParser p, String message) {
        return JsonEnvelope.badRequest(p, message);
    }
}
