package dev.blitdb.server.http;

import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.databases.Readiness;
import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.json.JsonBody;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;

import java.io.IOException;

/**
 * {@code GET|HEAD /health/ready}: readiness, as orchestrators separate it from liveness ({@code /health}). 200
 * {@code {"Status":"Ready","Databases":[…]}} only when every database is online; otherwise 503 in the API's error
 * shape plus the databases still opening and those that failed, with {@code Retry-After}. Reads volatile states
 * only, so it runs on the IO thread and never blocks.
 */
final class ReadinessHandler implements HttpHandler {

    private final DatabaseRegistry registry;

    ReadinessHandler(DatabaseRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws IOException {
        Readiness readiness = registry.readiness();
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        boolean head = exchange.getRequestMethod().equals(Methods.HEAD);
        if (readiness.ready()) {
            var names = registry.list().stream().map(db -> db.name().value()).toList();
            send(exchange, 200, head, json -> {
                json.writeStartObject();
                json.writeStringField("Status", "Ready");
                json.writeArrayFieldStart("Databases");
                for (String name : names) {
                    json.writeString(name);
                }
                json.writeEndArray();
                json.writeEndObject();
            });
            return;
        }
        ApiError error = ApiError.DATABASE_UNAVAILABLE;
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
        send(exchange, error.status(), head, json -> {
            json.writeStartObject();
            json.writeStringField("Type", error.type());
            json.writeStringField("Message", readiness.explanation());
            json.writeStringField("Url", exchange.getRequestPath());
            json.writeStringField("Status", "NotReady");
            json.writeBooleanField("Starting", readiness.starting());
            json.writeBooleanField("ShuttingDown", readiness.closing());
            json.writeArrayFieldStart("Loading");
            for (String name : readiness.loading()) {
                json.writeString(name);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("Failed");
            for (Readiness.Failed f : readiness.failed()) {
                json.writeStartObject();
                json.writeStringField("Name", f.name());
                json.writeStringField("Reason", f.reason());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static void send(HttpServerExchange exchange, int status, boolean head, JsonBody.Content content)
            throws IOException {
        if (head) {
            exchange.setStatusCode(status);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, JsonBody.CONTENT_TYPE);
            exchange.endExchange();
        } else {
            JsonBody.send(exchange, status, content);
        }
    }
}
