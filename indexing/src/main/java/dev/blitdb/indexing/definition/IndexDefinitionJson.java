package dev.blitdb.indexing.definition;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Index definitions as JSON, the shape of DESIGN.md:
 * {@code {"Name":"Users/ByCity","Collection":"Users","Fields":{"City":{"Path":"Address.City","Type":"Keyword"}},
 * "Priority":"Normal"}}. A request may carry one definition, an array of them, or {@code {"Indexes":[...]}}.
 * Duplicate keys (a field named twice) are errors, as are unknown properties, so a typo does not silently
 * build a different index. Keys are matched exactly (PascalCase, as the protocol is).
 */
public final class IndexDefinitionJson {

    private static final JsonFactory JSON = new JsonFactoryBuilder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private IndexDefinitionJson() {
    }

    /** Parses and checks the definitions in {@code json}; problems are {@link IndexDefinitionException}s. */
    public static List<IndexDefinition> parse(byte[] json, int offset, int length) {
        try (JsonParser p = JSON.createParser(json, offset, length)) {
            return parse(p);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw new IndexDefinitionException("invalid JSON in index definition: " + e.getOriginalMessage()
                    + (where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr()),
                    where == null ? 0 : where.getLineNr(), where == null ? 0 : where.getColumnNr());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // parsing a byte array does no I/O
        }
    }

    /**
     * Reads the definitions from {@code p}, positioned before the first token (the server's request reader opens
     * it). Malformed JSON is left to the caller as Jackson's exception; a well-formed definition that cannot be
     * used, and a key given twice (with {@link StreamReadFeature#STRICT_DUPLICATE_DETECTION} on), are
     * {@link IndexDefinitionException}s with their position.
     */
    public static List<IndexDefinition> parse(JsonParser p) throws IOException {
        try {
            return read(p);
        } catch (JsonParseException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
                var where = p.currentTokenLocation();
                throw new IndexDefinitionException(e.getOriginalMessage() + " (line " + where.getLineNr()
                        + ", column " + where.getColumnNr() + ")", where.getLineNr(), where.getColumnNr());
            }
            throw e;
        }
    }

    private static List<IndexDefinition> read(JsonParser p) throws IOException {
        List<IndexDefinition> out = new ArrayList<>();
        JsonToken first = p.nextToken();
        if (first == JsonToken.START_ARRAY) {
            while (p.nextToken() == JsonToken.START_OBJECT) {
                out.add(definition(p));
            }
        } else if (first == JsonToken.START_OBJECT) {
            if (p.nextToken() == JsonToken.FIELD_NAME && p.currentName().equals("Indexes")) {
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    throw problem(p, "\"Indexes\" must be an array of definitions");
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    out.add(definition(p));
                }
                p.nextToken();
            } else {
                out.add(definitionBody(p));
            }
        } else {
            throw problem(p, "expected an index definition object, an array of them, or {\"Indexes\":[...]}");
        }
        if (p.nextToken() != null) {
            throw problem(p, "unexpected content after the definitions");
        }
        if (out.isEmpty()) {
            throw new IndexDefinitionException("no index definitions given");
        }
        return out;
    }

    private static IndexDefinition definition(JsonParser p) throws IOException {
        p.nextToken();
        return definitionBody(p);
    }

    /** Reads the properties of a definition object; {@code p} is on its first FIELD_NAME or END_OBJECT. */
    private static IndexDefinition definitionBody(JsonParser p) throws IOException {
        String name = null;
        String collection = null;
        String priority = null;
        List<IndexDefinition.FieldSpec> fields = null;
        for (JsonToken t = p.currentToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "Name" -> name = string(p, key);
                case "Collection" -> collection = string(p, key);
                case "Priority" -> priority = string(p, key);
                case "Fields" -> fields = fields(p);
                default -> throw problem(p, "unknown property \"" + key
                        + "\" in index definition; expected Name, Collection, Fields, Priority");
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw problem(p, "expected a property name or '}'");
        }
        return IndexDefinition.of(name, collection, fields, priority);
    }

    private static List<IndexDefinition.FieldSpec> fields(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw problem(p, "\"Fields\" must be an object: {\"FieldName\": {\"Path\": \"...\", \"Type\": \"...\"}}");
        }
        List<IndexDefinition.FieldSpec> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw problem(p, "field \"" + field + "\" must be an object with Path and Type");
            }
            String path = null;
            String type = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                switch (key) {
                    case "Path" -> path = string(p, field + ".Path");
                    case "Type" -> type = string(p, field + ".Type");
                    default -> throw problem(p, "unknown property \"" + key + "\" in field \"" + field
                            + "\"; expected Path, Type");
                }
            }
            out.add(new IndexDefinition.FieldSpec(field, path, type));
        }
        return out;
    }

    private static String string(JsonParser p, String what) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw problem(p, "\"" + what + "\" must be a string");
        }
        return p.getText();
    }

    private static IndexDefinitionException problem(JsonParser p, String message) {
        var where = p.currentTokenLocation();
        return new IndexDefinitionException(message + " (line " + where.getLineNr() + ", column "
                + where.getColumnNr() + ")", where.getLineNr(), where.getColumnNr());
    }

    /** The definition as JSON, in the same shape {@link #parse} reads. */
    public static byte[] write(IndexDefinition definition) {
        var out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(definition, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes the definition as one JSON object into {@code g}. */
    public static void write(IndexDefinition definition, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("Name", definition.name());
        g.writeStringField("Collection", definition.collection());
        g.writeObjectFieldStart("Fields");
        for (IndexField f : definition.fields().values()) {
            g.writeObjectFieldStart(f.name());
            g.writeStringField("Path", f.path().text());
            g.writeStringField("Type", f.type().wireName());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeStringField("Priority", definition.priority().wireName());
        g.writeEndObject();
    }
}
