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
    private final Replicas replicas;

    /**
     * The other nodes of a cluster: after a database is created or dropped here, the same happens on each of them.
     * Returns each node's result by node id ("Done", "AlreadyExists", "Unreachable: ..."), answered as {@code Nodes}.
     */
    public interface Replicas {
        java.util.Map<String, String> created(DatabaseName name);

        java.util.Map<String, String> dropped(DatabaseName name);
    }

    public DatabaseRoutes(DatabaseRegistry registry) {
        this(registry, null);
    }

    /** With {@code replicas} (a cluster node) creates and drops reach every node. */
    public DatabaseRoutes(DatabaseRegistry registry, Replicas replicas) {
        this.registry = registry;
        this.replicas = replicas;
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
        var nodes = replicas == null ? null : replicas.created(db.name());
        JsonBody.send(exchange, 201, json -> {
            json.writeStartObject();
            json.writeStringField("Name", db.name().value());
            json.writeStringField("State", stateName(db.state()));
            writeNodes(json, nodes);
            json.writeEndObject();
        });
    }

    private void drop(HttpServerExchange exchange) throws IOException {
        DatabaseName name = new DatabaseName(Params.optional(exchange, "name"));
        registry.drop(name);
        if (replicas != null) {
            replicas.dropped(name);
        }
        exchange.setStatusCode(204);
        exchange.endExchange();
    }

    private static void writeNodes(com.fasterxml.jackson.core.JsonGenerator json, java.util.Map<String, String> nodes)
            throws IOException {
        if (nodes == null) {
            return;
        }
        json.writeObjectFieldStart("Nodes");
        for (var e : nodes.entrySet()) {
            json.writeStringField(e.getKey(), e.getValue());
        }
        json.writeEndObject();
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
