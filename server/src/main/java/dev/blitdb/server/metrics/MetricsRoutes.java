package dev.blitdb.server.metrics;

import dev.blitdb.server.http.routing.Blocking;
import dev.blitdb.server.http.routing.RouteFamily;
import dev.blitdb.server.http.routing.RouteTable;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** {@code GET /metrics}: every metric in the Prometheus text format. An admin route once security exists. */
public final class MetricsRoutes implements RouteFamily {

    private final ServerMetrics metrics;
    /** The last scrape's size: the next buffer starts there, so a large scrape is not copied while it grows. */
    private volatile int lastSize = 64 * 1024;

    public MetricsRoutes(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Methods.GET, "/metrics", Blocking.dispatch(this::scrape));
    }

    private void scrape(HttpServerExchange exchange) throws IOException {
        // Collected whole before the status goes out, so a failing collector answers a JSON 500, not half a scrape.
        var body = new ByteArrayOutputStream(lastSize + lastSize / 8);
        metrics.scrape(body);
        lastSize = body.size();
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, metrics.contentType());
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.size());
        body.writeTo(exchange.getOutputStream());
        exchange.endExchange();
    }
}
