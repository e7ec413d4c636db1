package dev.blitdb.server.http.databases;

import dev.blitdb.server.databases.Database;
import dev.blitdb.server.databases.DatabaseName;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.json.JsonBody;
import dev.blitdb.server.http.routing.Blocking;
import dev.blitdb.server.http.routing.Params;
import dev.blitdb.server.http.routing.RouteFamily;
import dev.blitdb.server.http.routing.RouteTable;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;

import java.io.IOException;

/**
 * Databases: {@code GET /databases} lists them with their state; {@code PUT /admin/databases?name=} creates one
 * (201, 409 if the name is taken in any casing); {@code DELETE /admin/databases?name=} drops one (204 once its
 * open requests finished and its files are gone). Create and drop block (opening a store, waiting for requests),
 * so they run on worker threads.
 */
public final class DatabaseRoutes implements RouteFamily {

    private final DatabaseRegistry registry;

    public DatabaseRoutes(DatabaseRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Methods.GET, "/databases", Blocking.dispatch(this::list))
                .add(Methods.PUT, "/admin/databases", Blocking.dispatch(this::create))
                .add(Methods.DELETE, "/admin/databases", Blocking.dispatch(this::drop));
    }

    private void list(HttpServerExchange exchange) throws IOException {
        var databases = registry.list();
        JsonBody.send(exchange, 200, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("Databases");
            for (Database db : databases) {
                json.writeStartObject();
                json.writeStringField("Name", db.name().value());
                json.writeStringField("State", stateName(db.state()));
                if (db.failure() != null) {
                    json.writeStringField("Failure", db.failure());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private void create(HttpServerExchange exchange) throws IOException {
        Database db = registry.create(new DatabaseName(Params.optional(exchange, "name")));
        JsonBody.send(exchange, 201, json -> {
            json.writeStartObject();
            json.writeStringField("Name", db.name().value());
            json.writeStringField("State", stateName(db.state()));
            json.writeEndObject();
        });
    }

    private void drop(HttpServerExchange exchange) throws IOException {
        registry.drop(new DatabaseName(Params.optional(exchange, "name")));
        exchange.setStatusCode(204);
        exchange.endExchange();
    }

    private static String stateName(Database.State state) {
        return switch (state) {
            case LOADING -> "Loading";
            case ONLINE -> "Online";
            case PAUSED -> "Paused";
            case FAILED -> "Failed";
            case CLOSING -> "Closing";
            case CLOSED -> "Closed";
        };
    }
}
