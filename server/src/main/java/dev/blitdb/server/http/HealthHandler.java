package dev.blitdb.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** {@code GET /health}: 200 with a small JSON body while the server accepts requests. Runs on the IO thread. */
public final class HealthHandler implements HttpHandler {

    private static final ByteBuffer BODY = ByteBuffer.wrap("{\"Status\":\"Ok\"}".getBytes(StandardCharsets.UTF_8))
            .asReadOnlyBuffer();

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        boolean head = exchange.getRequestMethod().equals(Methods.HEAD);
        if (!head && !exchange.getRequestMethod().equals(Methods.GET)) {
            exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send("{\"Type\":\"MethodNotAllowed\",\"Message\":\"/health answers GET and "
                    + "HEAD, not " + exchange.getRequestMethod() + "\",\"Url\":\"/health\"}");
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        if (head) {
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, BODY.remaining());
            exchange.endExchange();
            return;
        }
        exchange.getResponseSender().send(BODY.duplicate());
    }
}
