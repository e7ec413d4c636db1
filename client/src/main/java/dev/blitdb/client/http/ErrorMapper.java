package dev.blitdb.client.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blitdb.client.exceptions.AuthenticationException;
import dev.blitdb.client.exceptions.AuthorizationException;
import dev.blitdb.client.exceptions.BadRequestException;
import dev.blitdb.client.exceptions.BlitDbException;
import dev.blitdb.client.exceptions.ConcurrencyException;
import dev.blitdb.client.exceptions.DatabaseDoesNotExistException;
import dev.blitdb.client.exceptions.IndexDoesNotExistException;
import dev.blitdb.client.exceptions.RequestTooLargeException;
import dev.blitdb.client.exceptions.ServerErrorException;
import dev.blitdb.client.exceptions.ServiceUnavailableException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Turns the server's JSON error body into the client's typed exception; the one place that knows the kinds. */
public final class ErrorMapper {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorMapper() {
    }

    /** The exception for an error answer: {@code status}, its body, and the request it answered. */
    public static BlitDbException toException(int status, byte[] body, String method, String path) {
        return toException(status, body, method, path, 0);
    }

    /** As above, with the answer's {@code Retry-After} seconds (0 if none). */
    public static BlitDbException toException(int status, byte[] body, String method, String path,
                                              long retryAfterSeconds) {
        JsonNode error = parse(body);
        if (error == null) {
            // Not our JSON shape (a proxy in between, or a crash mid-answer): keep what there is.
            String text = new String(body, StandardCharsets.UTF_8);
            String shown = text.length() > 300 ? text.substring(0, 300) + "…" : text;
            return new ServerErrorException(status, "Unknown", method + " " + path + " failed: " + shown, path);
        }
        String type = text(error, "Type");
        String message = text(error, "Message");
        String url = text(error, "Url");
        if (type == null) {
            type = "Unknown";
        }
        if (message == null) {
            message = method + " " + path + " failed";
        }
        return switch (type) {
            case "Concurrency" -> new ConcurrencyException(text(error, "Id"), text(error, "ExpectedChangeVector"),
                    text(error, "ActualChangeVector"), message, url);
            case "DatabaseDoesNotExist" -> new DatabaseDoesNotExistException(message, url);
            case "IndexDoesNotExist" -> new IndexDoesNotExistException(message, url);
            case "RequestTooLarge" -> new RequestTooLargeException(message, url);
            case "NotLeader" -> new dev.blitdb.client.exceptions.NotLeaderException(message, text(error, "Leader"));
            case "WriteOutcomeUnknown" -> new dev.blitdb.client.exceptions.WriteOutcomeUnknownException(
                    message + " (HTTP 504, " + url + ")", null);
            case "AuthenticationRequired", "TooManyRequests" -> new AuthenticationException(status, type, message,
                    url, retryAfterSeconds);
            case "Forbidden" -> new AuthorizationException(message, url, text(error, "Permission"),
                    text(error, "Database"));
            case "DatabaseUnavailable" -> new ServiceUnavailableException(message + " (HTTP 503, " + url + ")", null);
            default -> status == 400 ? new BadRequestException(type, message, url)
                    : status == 503 ? new ServiceUnavailableException(message + " (HTTP 503, " + url + ")", null)
                    : new ServerErrorException(status, type, message, url);
        };
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }
}
