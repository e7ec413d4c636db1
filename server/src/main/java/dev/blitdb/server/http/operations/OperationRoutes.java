package dev.blitdb.server.http.operations;

import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.errors.ApiException;
import dev.blitdb.server.http.json.JsonBody;
import dev.blitdb.server.http.routing.Blocking;
import dev.blitdb.server.http.routing.Params;
import dev.blitdb.server.http.routing.RouteFamily;
import dev.blitdb.server.http.routing.RouteTable;
import dev.blitdb.server.operations.Operation;
import dev.blitdb.server.operations.Operations;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;

import java.io.IOException;
import java.util.List;

/**
 * {@code GET /operations} (newest first, optional {@code ?database=}), {@code GET /operations/{id}} and
 * {@code POST /operations/{id}/cancel} (202 with the operation as it is now; 409 when it already ended).
 */
public final class OperationRoutes implements RouteFamily {

    private final Operations operations;

    public OperationRoutes(Operations operations) {
        this.operations = operations;
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Methods.GET, "/operations", Blocking.nonBlocking(this::list))
                .add(Methods.GET, "/operations/{id}", Blocking.nonBlocking(this::get))
                .add(Methods.POST, "/operations/{id}/cancel", Blocking.nonBlocking(this::cancel));
    }

    private void list(HttpServerExchange exchange) throws IOException {
        String database = Params.optional(exchange, "database");
        List<Operation> ops = operations.list().stream()
                .filter(o -> database == null || database.equalsIgnoreCase(o.database())).toList();
        noStore(exchange);
        JsonBody.send(exchange, 200, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("Operations");
            for (Operation op : ops) {
                OperationJson.write(json, op);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private void get(HttpServerExchange exchange) throws IOException {
        Operation op = find(exchange);
        noStore(exchange);
        JsonBody.send(exchange, 200, json -> OperationJson.write(json, op));
    }

    private void cancel(HttpServerExchange exchange) throws IOException {
        Operation op = find(exchange);
        if (!operations.cancel(op)) {
            throw new ApiException(ApiError.CONFLICT, "operation " + op.id() + " already ended ("
                    + op.state() + "); nothing to cancel");
        }
        JsonBody.send(exchange, 202, json -> OperationJson.write(json, op));
    }

    private Operation find(HttpServerExchange exchange) {
        String raw = Params.path(exchange, "id");
        long id;
        try {
            id = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("operation id '" + raw + "' is not a number");
        }
        return operations.find(id).orElseThrow(() -> ApiException.notFound("no operation " + id
                + " on this server (ids are per server run; finished ones are kept for the last "
                + "200 operations)"));
    }

    private static void noStore(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    }
}
