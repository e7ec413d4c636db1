package dev.blitdb.server.http.routing;

import io.undertow.server.HttpHandler;
import io.undertow.util.HttpString;

/**
 * Wraps each route's handler as the route table registers it (request metrics). {@code template} is the route's
 * path template, or {@link #UNMATCHED} for the router's own 404 and 405 answers.
 */
@FunctionalInterface
public interface RouteMeter {

    String UNMATCHED = "unmatched";

    /** Leaves every handler as it is. */
    RouteMeter NONE = (method, template, handler) -> handler;

    HttpHandler meter(HttpString method, String template, HttpHandler handler);
}
