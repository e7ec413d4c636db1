package dev.blitdb.server.metrics;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code blitdb_http_request_duration_seconds{route,method,status}}: one classic histogram of every request, its
 * {@code _count} being the request counter. {@code route} is the route template ({@code /databases/{db}/docs}),
 * or {@code unmatched} for 404/405 answers of the router, so label values stay few whatever the paths hold.
 */
public final class HttpMetrics {

    /** Latency buckets from a cached GET (well under a millisecond) to a slow bulk import. */
    private static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
            2.5, 5, 10, 30};

    private final Histogram requests;

    HttpMetrics(PrometheusRegistry registry) {
        requests = Histogram.builder()
                .name("blitdb_http_request_duration_seconds")
                .help("HTTP requests by route template, method and status: latency from the first byte read to the "
                        + "response completed")
                .unit(Unit.SECONDS)
                .labelNames("route", "method", "status")
                .classicOnly()
                .classicUpperBounds(BUCKETS)
                .withoutExemplars()
                .register(registry);
    }

    /** Wraps a route's handler so each of its requests is observed when its response completes. */
    public HttpHandler meter(HttpString method, String route, HttpHandler next) {
        return new MeteredRoute(requests, route, method.toString(), next);
    }

    /**
     * The handler of one route. It is its own completion listener (one per route, shared by all its requests), so
     * a request allocates nothing here: the start time is Undertow's own, the data point per status is resolved
     * once and cached.
     */
    private static final class MeteredRoute implements HttpHandler, ExchangeCompletionListener {

        private final Histogram histogram;
        private final String route;
        private final String method;
        private final HttpHandler next;
        private final AtomicReferenceArray<DistributionDataPoint> byStatus = new AtomicReferenceArray<>(600);

        MeteredRoute(Histogram histogram, String route, String method, HttpHandler next) {
            this.histogram = histogram;
            this.route = route;
            this.method = method;
            this.next = next;
        }

        @Override
        public void handleRequest(HttpServerExchange exchange) throws Exception {
            exchange.addExchangeCompleteListener(this);
            next.handleRequest(exchange);
        }

        @Override
        public void exchangeEvent(HttpServerExchange exchange, NextListener nextListener) {
            try {
                long started = exchange.getRequestStartTime();
                if (started > 0) {
                    point(exchange.getStatusCode()).observe((System.nanoTime() - started) / 1e9);
                }
            } finally {
                nextListener.proceed();
            }
        }

        private DistributionDataPoint point(int status) {
            int slot = status >= 0 && status < byStatus.length() ? status : 0;
            DistributionDataPoint p = byStatus.get(slot);
            if (p == null) {
                p = histogram.labelValues(route, method, Integer.toString(status));
                byStatus.set(slot, p);
            }
            return p;
        }
    }
}
