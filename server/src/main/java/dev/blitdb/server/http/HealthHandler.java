package dev.blitdb.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** {@code GET|HEAD /health}: 200 with a small JSON body while the server accepts requests. Never blocks. */
public final class HealthHandler implements HttpHandler {

    private static final ByteBuffer BODY = ByteBuffer.wrap("{\"Status\":\"Ok\"}".getBytes(StandardCharsets.UTF_8))
            .asReadOnlyBuffer();

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        if (exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, BODY.remaining());
            exchange.endExchange();
            return;
        }
        exchange.getResponseSender().send(BODY.duplicate());
    }
}
