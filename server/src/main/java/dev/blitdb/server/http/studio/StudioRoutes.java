package dev.blitdb.server.http.studio;

import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.errors.ErrorResponder;
import dev.blitdb.server.http.routing.Blocking;
import dev.blitdb.server.http.routing.RouteFamily;
import dev.blitdb.server.http.routing.RouteTable;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * {@code GET /studio} (redirects to {@code /studio/}) and {@code GET /studio/{file}}: the studio's static files, read
 * from the jar's {@code studio/} folder once and kept in memory (a few tens of KB). Only plain file names are served;
 * the studio itself calls the ordinary API routes, with the API key the user gives as a Bearer token.
 */
public final class StudioRoutes implements RouteFamily {

    private static final Pattern FILE = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8", "js", "text/javascript; charset=utf-8", "png", "image/png",
            "svg", "image/svg+xml", "txt", "text/plain; charset=utf-8");
    private static final Optional<byte[]> MISSING = Optional.empty();

    private final Map<String, Optional<byte[]>> files = new ConcurrentHashMap<>();

    @Override
    public void register(RouteTable routes) {
        routes.add(Methods.GET, "/studio", Blocking.nonBlocking(StudioRoutes::redirect))
                .add(Methods.GET, "/studio/", Blocking.nonBlocking(exchange -> serve(exchange, "index.html")))
                .add(Methods.GET, "/studio/{file}", Blocking.nonBlocking(
                        exchange -> serve(exchange, RouteTable.pathParameter(exchange, "file"))));
    }

    private static void redirect(HttpServerExchange exchange) {
        exchange.setStatusCode(StatusCodes.FOUND);
        exchange.getResponseHeaders().put(Headers.LOCATION, "/studio/");
        exchange.endExchange();
    }

    private void serve(HttpServerExchange exchange, String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        Optional<byte[]> body = FILE.matcher(name).matches() && TYPES.containsKey(ext)
                ? files.computeIfAbsent(name, StudioRoutes::load) : MISSING;
        if (body.isEmpty()) {
            ErrorResponder.respond(exchange, ApiError.NOT_FOUND, "the studio has no file '" + name + "'");
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, TYPES.get(ext));
        // The studio changes with the server: revalidate rather than keep a stale copy after an upgrade.
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        exchange.getResponseHeaders().put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
        exchange.getResponseHeaders().put(Headers.X_FRAME_OPTIONS, "DENY");
        exchange.getResponseSender().send(ByteBuffer.wrap(body.get()));
    }

    private static Optional<byte[]> load(String name) {
        try (InputStream in = StudioRoutes.class.getResourceAsStream("/studio/" + name)) {
            return in == null ? MISSING : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read studio file " + name + " from the jar", e);
        }
    }
}
