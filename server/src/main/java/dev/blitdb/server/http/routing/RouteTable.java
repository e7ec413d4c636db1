package dev.blitdb.server.http.routing;

import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.errors.ErrorResponder;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.PathTemplateMatcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The server's routes: method + path template ({@code /databases/{db}/docs}) → handler. Built once, then
 * immutable. An unknown path answers 404 and a known path with another method 405 with an {@code Allow}
 * header, both as JSON errors. Path parameters are read with {@link #pathParameter}; they never leak into the
 * query parameters, so {@code ?db=} cannot override {@code {db}}.
 */
public final class RouteTable {

    /** Wraps each route's handler as it is added: the server puts its one authorization step here. */
    @FunctionalInterface
    public interface Guard {
        Guard NONE = (method, template, handler) -> handler;

        HttpHandler guard(HttpString method, String template, HttpHandler handler);
    }

    private final Map<String, Set<String>> methodsByTemplate = new LinkedHashMap<>();
    private final List<String> routes = new ArrayList<>();
    private final RoutingHandler routing = new RoutingHandler(false);
    private final RouteMeter meter;
    private final Guard guard;

    /** A table without metering or a guard (tests of routing alone); the server passes both. */
    public RouteTable() {
        this(RouteMeter.NONE, Guard.NONE);
    }

    /**
     * A table whose every route is behind {@code guard} (the authorization step) and, outside that, wrapped by
     * {@code meter} (request metrics), so refused requests are counted too; the 404/405 answers are metered.
     */
    public RouteTable(RouteMeter meter, Guard guard) {
        this.meter = meter;
        this.guard = guard;
    }

    public RouteTable add(HttpString method, String template, HttpHandler handler) {
        Set<String> methods = methodsByTemplate.computeIfAbsent(template, t -> new TreeSet<>());
        if (!methods.add(method.toString())) {
            throw new IllegalArgumentException("route " + method + " " + template + " is defined twice");
        }
        routes.add(method + " " + template);
        routing.add(method, template, meter.meter(method, template, guard.guard(method, template, handler)));
        return this;
    }

    /** Every route added, as {@code "METHOD /template"}, in the order added. */
    public List<String> routes() {
        return List.copyOf(routes);
    }

    public HttpHandler build() {
        PathTemplateMatcher<String> allowHeaders = new PathTemplateMatcher<>();
        // HEAD is answered only where a route registers it (documents do); Allow lists exactly what works.
        methodsByTemplate.forEach((template, methods) -> allowHeaders.add(template, String.join(", ", methods)));
        routing.setFallbackHandler(meter.meter(HttpString.tryFromString("ANY"), RouteMeter.UNMATCHED,
                RouteTable::notFound));
        routing.setInvalidMethodHandler(meter.meter(HttpString.tryFromString("ANY"), RouteMeter.UNMATCHED, exchange -> {
            var match = allowHeaders.match(exchange.getRelativePath());
            String allow = match == null ? "" : match.getValue();
            exchange.getResponseHeaders().put(Headers.ALLOW, allow);
            ErrorResponder.respond(exchange, ApiError.METHOD_NOT_ALLOWED, exchange.getRequestPath() + " answers "
                    + allow + ", not " + exchange.getRequestMethod());
        }));
        return routing;
    }

    private static void notFound(HttpServerExchange exchange) {
        ErrorResponder.respond(exchange, ApiError.NOT_FOUND, "no route for " + exchange.getRequestMethod() + " "
                + exchange.getRequestPath() + "; see server/API.md for the routes");
    }

    /** The value of {@code {name}} in the matched route's template, or {@code null}. */
    public static String pathParameter(HttpServerExchange exchange, String name) {
        PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        return match == null ? null : match.getParameters().get(name);
    }
}
