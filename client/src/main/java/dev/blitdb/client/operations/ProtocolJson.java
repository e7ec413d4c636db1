package dev.blitdb.client.operations;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blitdb.client.exceptions.BlitDbException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The protocol's own JSON (PascalCase keys), read and written with a private mapper — never the application's
 * entity mapper, whose naming strategy or modules must not change the wire format.
 */
final class ProtocolJson {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ProtocolJson() {
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new BlitDbException("cannot write " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    static JsonNode tree(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new BlitDbException("the server sent a body that is not JSON: " + e.getMessage(), e);
        }
    }

    static <T> T read(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (IOException e) {
            throw new BlitDbException("unexpected " + type.getSimpleName() + " from the server: " + e.getMessage(), e);
        }
    }

    /** The elements of {@code body}'s array {@code key} as {@code type}s. */
    static <T> List<T> list(byte[] body, String key, Class<T> type) {
        JsonNode array = tree(body).path(key);
        List<T> out = new ArrayList<>();
        JavaType t = MAPPER.constructType(type);
        for (JsonNode n : array) {
            try {
                out.add(MAPPER.treeToValue(n, t));
            } catch (IOException e) {
                throw new BlitDbException("unexpected " + type.getSimpleName() + " from the server: "
                        + e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }
}
