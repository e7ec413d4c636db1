package dev.blitdb.server.http.errors;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes the one error body shape of the API, {@code {"Type":"...","Message":"...","Url":"..."}}, with the status
 * of its {@link ApiError}. Unexpected exceptions become 500 and are logged with their stack trace; the client
 * sees the exception's class and message, never the trace.
 */
public final class ErrorResponder {

    private static final System.Logger LOG = System.getLogger(ErrorResponder.class.getName());

    private ErrorResponder() {
    }

    /** Answers {@code exchange} with the error {@code failure} stands for; a no-op if the response has started. */
    public static void respond(HttpServerExchange exchange, Throwable failure) {
        if (failure instanceof java.io.IOException && exchange.isResponseStarted()) {
            // The client went away (or stalled past the timeout) while a response was streaming: not a server
            // error, and no status can be sent any more. One line, no stack trace.
            LOG.log(System.Logger.Level.INFO, "request " + exchange.getRequestMethod() + " " + url(exchange)
                    + ": response cut short: " + failure);
            exchange.setPersistent(false);
            exchange.endExchange();
            return;
        }
        ApiException api = ExceptionMapping.toApiException(failure);
        if (api.error() == ApiError.INTERNAL) {
            LOG.log(System.Logger.Level.ERROR, "request " + exchange.getRequestMethod() + " " + url(exchange)
                    + " failed", failure);
        }
        respond(exchange, api.error(), api.getMessage(), api.details());
    }

    public static void respond(HttpServerExchange exchange, ApiError error, String message) {
        respond(exchange, error, message, Map.of());
    }

    private static void respond(HttpServerExchange exchange, ApiError error, String message,
                                Map<String, Object> details) {
        if (exchange.isResponseStarted()) {
            // Headers are gone: the only honest signal left is to cut the connection.
            exchange.setPersistent(false);
            exchange.endExchange();
            return;
        }
        byte[] body = body(error, message, url(exchange), details);
        exchange.setStatusCode(error.status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        if (exchange.isBlocking() && !exchange.isInIoThread()) {
            try {
                exchange.getOutputStream().write(body);
                exchange.endExchange();
            } catch (java.io.IOException e) {
                exchange.setPersistent(false);
                exchange.endExchange();
            }
        } else {
            exchange.getResponseSender().send(ByteBuffer.wrap(body));
        }
    }

    /**
     * Starts the error response for {@code failure} and pushes it to the client without ending the exchange, so
     * the caller can go on reading (e.g. discard the rest of a refused body, see {@code LingeringClose}).
     */
    public static void sendWithoutEnding(HttpServerExchange exchange, ApiException failure) throws java.io.IOException {
        byte[] body = body(failure.error(), failure.getMessage(), url(exchange), failure.details());
        exchange.setStatusCode(failure.error().status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        java.io.OutputStream out = exchange.getOutputStream();
        out.write(body);
        out.flush();
    }

    static byte[] body(ApiError error, String message, String url) {
        return body(error, message, url, Map.of());
    }

    static byte[] body(ApiError error, String message, String url, Map<String, Object> details) {
        StringBuilder json = new StringBuilder(96 + message.length() + url.length());
        json.append("{\"Type\":");
        JsonText.appendString(json, error.type());
        json.append(",\"Message\":");
        JsonText.appendString(json, message);
        json.append(",\"Url\":");
        JsonText.appendString(json, url);
        details.forEach((key, value) -> {
            json.append(',');
            JsonText.appendString(json, key);
            json.append(':');
            if (value instanceof String s) {
                JsonText.appendString(json, s);
            } else {
                json.append(value); // a Number or null
            }
        });
        json.append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String url(HttpServerExchange exchange) {
        String query = exchange.getQueryString();
        return query == null || query.isEmpty() ? exchange.getRequestPath() : exchange.getRequestPath() + "?" + query;
    }
}
