package dev.blitdb.server.http.hilo;

import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.json.JsonBody;
import dev.blitdb.server.http.routing.Blocking;
import dev.blitdb.server.http.routing.Params;
import dev.blitdb.server.http.routing.RouteFamily;
import dev.blitdb.server.http.routing.RouteTable;
import dev.blitdb.storage.documents.HiLoRange;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;

import java.io.IOException;

/**
 * {@code GET /databases/{db}/hilo/next?tag=users[&size=n]}: reserves the next range of id numbers for a tag (a
 * collection name, case-insensitive) and answers {@code {"Tag","First","Last"}}, both inclusive. The range is
 * committed durably before the answer, so ranges never overlap, across clients, threads and restarts.
 *
 * <p>Range size: {@value #DEFAULT_SIZE} unless the client asks for {@code size} (1..{@value #MAX_SIZE}). 32 keeps
 * gaps small when a client process exits after using few ids, and costs one round trip per 32 new documents; a
 * client that stores many documents should ask for larger ranges as its rate grows (as RavenDB's clients do).
 */
public final class HiLoRoutes implements RouteFamily {

    static final int DEFAULT_SIZE = 32;
    static final int MAX_SIZE = 100_000;

    private final DatabaseRegistry registry;

    public HiLoRoutes(DatabaseRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Methods.GET, "/databases/{db}/hilo/next", Blocking.dispatch(this::next));
    }

    private void next(HttpServerExchange exchange) throws IOException {
        HiLoRange range;
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"))) {
            String tag = Params.required(exchange, "tag");
            long size = Params.number(exchange, "size", DEFAULT_SIZE, 1, MAX_SIZE);
            range = lease.writes().reserveIds(tag, size).join();
        }
        exchange.getResponseHeaders().put(io.undertow.util.Headers.CACHE_CONTROL, "no-store");
        JsonBody.send(exchange, 200, json -> {
            json.writeStartObject();
            json.writeStringField("Tag", range.collection());
            json.writeNumberField("First", range.first());
            json.writeNumberField("Last", range.last());
            json.writeEndObject();
        });
    }
}
