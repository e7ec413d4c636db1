package dev.blitdb.server.http.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonToken;
import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.errors.ApiException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonEnvelopeTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldGiveAPositionWhenJacksonHasNone() {
        byte[] body = utf8("{\"a\":\n 1}");
        ApiException e = assertThrows(ApiException.class, () -> JsonEnvelope.read(body, body.length, p -> {
            p.nextToken();
            p.nextToken();
            p.nextToken();
            throw new JsonParseException(null, "no location here"); // Jackson's exception without a location
        }));
        assertEquals(ApiError.INVALID_JSON, e.error());
        assertEquals(2, e.details().get("Line"));
        assertTrue((Integer) e.details().get("Column") >= 1, e.details().toString());
        assertTrue(e.getMessage().contains("no location here at line 2"), e.getMessage());
    }

    @Test
    void shouldAnswerTooDeepNestingWithBadRequestAndAPosition() {
        byte[] body = utf8("[".repeat(5000) + "]".repeat(5000));
        ApiException e = assertThrows(ApiException.class, () -> JsonEnvelope.read(body, body.length, p -> {
            p.nextToken();
            p.skipChildren();
            return null;
        }));
        assertEquals(ApiError.BAD_REQUEST, e.error());
        assertTrue(e.details().get("Line") instanceof Integer && e.details().get("Column") instanceof Integer);
    }

    @Test
    void shouldRefuseAnEmptyBodyAndTrailingContentAndDuplicateKeys() {
        ApiException empty = assertThrows(ApiException.class, () -> JsonEnvelope.read(new byte[0], 0, p -> null));
        assertEquals(ApiError.INVALID_JSON, empty.error());
        assertEquals(1, empty.details().get("Line"));

        byte[] twice = utf8("{} {}");
        ApiException trailing = assertThrows(ApiException.class, () -> JsonEnvelope.read(twice, twice.length, p -> {
            p.nextToken();
            p.skipChildren();
            JsonEnvelope.requireEnd(p);
            return null;
        }));
        assertEquals(ApiError.BAD_REQUEST, trailing.error());
        assertEquals(4, trailing.details().get("Column"));

        byte[] dup = utf8("{\"a\":1,\"a\":2}");
        ApiException duplicate = assertThrows(ApiException.class, () -> JsonEnvelope.read(dup, dup.length, p -> {
            while (p.nextToken() != null) {
                assertTrue(p.currentToken() != JsonToken.NOT_AVAILABLE);
            }
            return null;
        }));
        assertTrue(duplicate.getMessage().contains("Duplicate field 'a'"), duplicate.getMessage());
    }

    @Test
    void shouldReturnWhatTheReaderRead() {
        byte[] body = utf8("{\"Name\":\"x\"}");
        assertEquals("x", JsonEnvelope.read(body, body.length, p -> {
            p.nextToken();
            p.nextToken();
            p.nextToken();
            String value = p.getText();
            p.nextToken();
            JsonEnvelope.requireEnd(p);
            return value;
        }));
    }
}
