package dev.blitdb.server.http.backup;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.errors.ApiException;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A small request body of string, whole-number (kept as text) or null fields, e.g. {@code {"Folder":"/backups/shop","Type":"Full"}}: unknown
 * fields and non-string values are refused with a 400 naming them.
 */
final class SmallJsonObject {

    private static final JsonFactory JSON = new JsonFactory();

    private SmallJsonObject() {
    }

    static Map<String, String> parse(byte[] body, int length, Set<String> known, String example) {
        Map<String, String> out = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(body, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("expected a JSON object like " + example);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                if (!known.contains(key)) {
                    throw ApiException.badRequest("unknown field \"" + key + "\"; expected " + example);
                }
                if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT) {
                    out.put(key, p.getText());
                } else if (t != JsonToken.VALUE_NULL) {
                    throw ApiException.badRequest("\"" + key + "\" must be a string or a whole number; expected " + example);
                }
            }
            if (p.nextToken() != null) {
                throw ApiException.badRequest("unexpected content after the JSON object");
            }
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            throw new ApiException(ApiError.INVALID_JSON, "invalid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e)
                    .with("Line", e.getLocation().getLineNr()).with("Column", e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the body: " + e.getMessage());
        }
        return out;
    }

    static String required(Map<String, String> fields, String key, String example) {
        String v = fields.get(key);
        if (v == null || v.isBlank()) {
            throw ApiException.badRequest("\"" + key + "\" is required; expected " + example);
        }
        return v;
    }
}
