package dev.blitdb.server.http.routing;

import dev.blitdb.server.http.errors.ErrorResponder;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Runs a handler that blocks (reads a body, waits for a commit, streams from the store) on a worker thread in
 * blocking mode, and turns whatever it throws into the JSON error response. Handlers that never block (health)
 * stay on the IO thread and are wrapped by {@link #nonBlocking} for the same error mapping.
 */
public final class Blocking implements HttpHandler {

    private final HttpHandler next;

    private Blocking(HttpHandler next) {
        this.next = next;
    }

    public static HttpHandler dispatch(HttpHandler next) {
        return new Blocking(next);
    }

    public static HttpHandler nonBlocking(HttpHandler next) {
        return exchange -> {
            try {
                next.handleRequest(exchange);
            } catch (Exception | StackOverflowError e) {
                ErrorResponder.respond(exchange, e);
            }
        };
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        if (!exchange.isBlocking()) {
            exchange.startBlocking();
        }
        try {
            next.handleRequest(exchange);
        } catch (Exception | StackOverflowError e) {
            ErrorResponder.respond(exchange, e);
        }
    }
}
