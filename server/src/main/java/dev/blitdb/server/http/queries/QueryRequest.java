package dev.blitdb.server.http.queries;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import dev.blitdb.server.http.errors.ApiException;
import dev.blitdb.server.http.json.JsonEnvelope;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /databases/{db}/queries}:
 * {@code {"Query":"from Users where Age > $min","QueryParameters":{"min":30},"WaitForNonStaleResults":true,
 * "WaitForNonStaleResultsTimeoutInMs":15000}}. Parameter values are strings, numbers, booleans, null, or arrays of
 * those; integers that fit 64 bits stay integers, other numbers become doubles.
 */
record QueryRequest(String query, Map<String, Object> parameters, boolean waitForNonStale, Duration timeout) {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);
    private static final JsonFactory JSON = new JsonFactoryBuilder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    static QueryRequest parse(byte[] body, int length) throws IOException {
        String query = null;
        Map<String, Object> parameters = new LinkedHashMap<>();
        boolean wait = false;
        Duration timeout = DEFAULT_TIMEOUT;
        try (JsonParser p = JSON.createParser(body, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("expected a JSON object: {\"Query\":\"from ...\"}");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                switch (key) {
                    case "Query" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw ApiException.badRequest("\"Query\" must be a string of RQL");
                        }
                        query = p.getText();
                    }
                    case "QueryParameters" -> {
                        if (value == JsonToken.VALUE_NULL) {
                            break;
                        }
                        if (value != JsonToken.START_OBJECT) {
                            throw ApiException.badRequest("\"QueryParameters\" must be an object of name → value");
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            p.nextToken();
                            parameters.put(name.startsWith("$") ? name.substring(1) : name, value(p, name, true));
                        }
                    }
                    case "WaitForNonStaleResults" -> {
                        if (!value.isBoolean()) {
                            throw ApiException.badRequest("\"WaitForNonStaleResults\" must be true or false");
                        }
                        wait = p.getBooleanValue();
                    }
                    case "WaitForNonStaleResultsTimeoutInMs" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0) {
                            throw ApiException.badRequest("\"WaitForNonStaleResultsTimeoutInMs\" must be a whole "
                                    + "number of milliseconds ≥ 0");
                        }
                        timeout = Duration.ofMillis(Math.min(p.getLongValue(), MAX_TIMEOUT.toMillis()));
                    }
                    default -> throw ApiException.badRequest("unknown property \"" + key + "\"; expected Query, "
                            + "QueryParameters, WaitForNonStaleResults, WaitForNonStaleResultsTimeoutInMs");
                }
            }
        } catch (JsonProcessingException e) {
            var where = e.getLocation() != null ? e.getLocation()
                    : e.getProcessor() instanceof JsonParser parser ? parser.currentLocation() : null;
            throw JsonEnvelope.located(dev.blitdb.server.http.errors.ApiError.INVALID_JSON, "invalid JSON: "
                    + e.getOriginalMessage(), where);
        }
        if (query == null || query.isBlank()) {
            throw ApiException.badRequest("\"Query\" is required, e.g. {\"Query\":\"from Users\"}");
        }
        return new QueryRequest(query, parameters, wait, timeout);
    }

    private static Object value(JsonParser p, String name, boolean allowArray) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_STRING -> p.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? (Object) p.getDoubleValue() : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case START_ARRAY -> {
                if (!allowArray) {
                    throw ApiException.badRequest("parameter $" + name + " holds an array inside an array");
                }
                List<Object> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(value(p, name, false));
                }
                yield items;
            }
            default -> throw ApiException.badRequest("parameter $" + name
                    + " must be a string, number, boolean, null or an array of those");
        };
    }
}
