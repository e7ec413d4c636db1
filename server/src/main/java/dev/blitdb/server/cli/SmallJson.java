package dev.blitdb.server.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** The little JSON the command line needs, with jackson-core: objects out, dotted scalar fields and raw values in. */
final class SmallJson {

    private static final JsonFactory JSON = new JsonFactory();

    private SmallJson() {
    }

    /** An object of {@code key, value, key, value…} (values: String, Number or null are skipped). */
    static String object(Object... kv) {
        var w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            for (int i = 0; i < kv.length; i += 2) {
                Object v = kv[i + 1];
                if (v instanceof Number n) {
                    g.writeNumberField((String) kv[i], n.longValue());
                } else if (v != null) {
                    g.writeStringField((String) kv[i], v.toString());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** Every scalar by its dotted path ("Progress.Percent") as text, and every object by its path as raw JSON. */
    static Map<String, String> flatten(String json) {
        Map<String, String> out = new HashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                walk(p, "", out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
        return out;
    }

    private static void walk(JsonParser p, String prefix, Map<String, String> out) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = prefix + p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                var w = new StringWriter();
                try (JsonGenerator g = JSON.createGenerator(w)) {
                    g.copyCurrentStructure(p);
                }
                out.put(key, w.toString());
                if (t == JsonToken.START_OBJECT) {
                    try (JsonParser inner = JSON.createParser(w.toString())) {
                        inner.nextToken();
                        walk(inner, key + ".", out);
                    }
                }
            } else {
                out.put(key, p.getText());
            }
        }
    }
}
