package dev.blitdb.server.http.backup;

import com.fasterxml.jackson.core.JsonToken;
import dev.blitdb.server.http.errors.ApiException;
import dev.blitdb.server.http.json.JsonEnvelope;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A small request body of string, whole-number (kept as text) or null fields, e.g.
 * {@code {"Folder":"/backups/shop","Type":"Full"}}, read with the one envelope reader: unknown fields and other
 * values are refused with a 400 naming them and their position; a key given twice is refused too.
 */
final class SmallJsonObject {

    private SmallJsonObject() {
    }

    static Map<String, String> parse(byte[] body, int length, Set<String> known, String example) {
        return JsonEnvelope.read(body, length, p -> {
            Map<String, String> out = new LinkedHashMap<>();
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw JsonEnvelope.badRequest(p, "expected a JSON object like " + example);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                if (!known.contains(key)) {
                    throw JsonEnvelope.badRequest(p, "unknown field \"" + key + "\"; expected " + example);
                }
                if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT) {
                    out.put(key, p.getText());
                } else if (t != JsonToken.VALUE_NULL) {
                    throw JsonEnvelope.badRequest(p, "\"" + key + "\" must be a string or a whole number; expected "
                            + example);
                }
            }
            JsonEnvelope.requireEnd(p);
            return out;
        });
    }

    static String required(Map<String, String> fields, String key, String example) {
        String v = fields.get(key);
        if (v == null || v.isBlank()) {
            throw ApiException.badRequest("\"" + key + "\" is required; expected " + example);
        }
        return v;
    }
}
