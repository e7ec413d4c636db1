package dev.blitdb.server.http.routing;

import dev.blitdb.server.http.errors.ApiException;
import io.undertow.server.HttpServerExchange;

import java.util.Deque;

/** Query parameters, read the way every route reads them: a repeated single-valued parameter is a 400. */
public final class Params {

    private Params() {
    }

    /** The one value of {@code name}, or null when absent. */
    public static String optional(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest("query parameter '" + name + "' is given " + values.size()
                    + " times; give it once");
        }
        return values.getFirst();
    }

    /** The one value of {@code name}; a 400 naming it when absent. */
    public static String required(HttpServerExchange exchange, String name) {
        String value = optional(exchange, name);
        if (value == null) {
            throw ApiException.badRequest("query parameter '" + name + "' is required");
        }
        return value;
    }

    /** An integer parameter within {@code [min, max]}, or {@code fallback} when absent. */
    public static long number(HttpServerExchange exchange, String name, long fallback, long min, long max) {
        String value = optional(exchange, name);
        if (value == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < min || n > max) {
                throw ApiException.badRequest("query parameter '" + name + "' must be between " + min + " and "
                        + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter '" + name + "' must be a whole number, got '" + value + "'");
        }
    }

    /** The path parameter {@code {name}} of the matched route template. */
    public static String path(HttpServerExchange exchange, String name) {
        String value = RouteTable.pathParameter(exchange, name);
        if (value == null) {
            throw new IllegalStateException("route has no path parameter {" + name + "}");
        }
        return value;
    }
}
