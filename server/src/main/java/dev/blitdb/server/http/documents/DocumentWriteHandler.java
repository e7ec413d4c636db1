package dev.blitdb.server.http.documents;

import dev.blitdb.blittable.BlitBuilder;
import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.body.RequestBodyReader;
import dev.blitdb.server.http.json.JsonBody;
import dev.blitdb.server.http.routing.Params;
import dev.blitdb.storage.documents.DocumentIds;
import dev.blitdb.storage.documents.PutResult;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;

import java.io.IOException;

/**
 * {@code PUT /databases/{db}/docs?id=} (201 {@code {"Id","ChangeVector"}}) and {@code DELETE …?id=} (204), both
 * honouring {@code If-Match}. A PUT body is read once into the worker's reusable buffer, converted to blittable by
 * the worker's {@link dev.blitdb.blittable.BlitWriter} (which finds bad JSON, bad UTF-8 and excessive depth with
 * their position), queued on the database's transaction merger straight from the writer's buffer, and answered
 * once the commit holding it is durable. The worker thread waits for that commit; the merger lets all waiting
 * writes share one.
 */
final class DocumentWriteHandler implements HttpHandler {

    private final DatabaseRegistry registry;
    private final RequestBodyReader bodyReader;

    DocumentWriteHandler(DatabaseRegistry registry, RequestBodyReader bodyReader) {
        this.registry = registry;
        this.bodyReader = bodyReader;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws IOException {
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"))) {
            String id = Params.required(exchange, "id");
            DocumentIds.key(id); // a bad id is refused before the body is read
            String expected = ChangeVectorHeaders.expected(exchange);
            if (exchange.getRequestMethod().equals(Methods.DELETE)) {
                lease.writes().delete(id, expected).join();
                exchange.setStatusCode(204);
                exchange.endExchange();
                return;
            }
            RequestBodyReader.Body body = bodyReader.read(exchange);
            BlitBuilder document = DocumentOutput.get().writer().convert(body.array(), 0, body.length());
            // The segment views the writer's buffer; this thread waits below, so nothing reuses it meanwhile.
            PutResult result = lease.writes().put(id, document.segment(), expected).join();
            ChangeVectorHeaders.setETag(exchange, result.changeVector());
            JsonBody.send(exchange, 201, json -> {
                json.writeStartObject();
                json.writeStringField("Id", result.id());
                json.writeStringField("ChangeVector", result.changeVector());
                json.writeEndObject();
            });
        }
    }
}
