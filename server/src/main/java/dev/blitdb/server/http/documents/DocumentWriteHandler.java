package dev.blitdb.server.http.documents;

import dev.blitdb.blittable.BlitBuilder;
import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.server.http.body.RequestBody;
import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.body.RequestBodyReader;
import dev.blitdb.server.http.json.JsonBody;
import dev.blitdb.server.http.routing.Params;
import dev.blitdb.storage.documents.DocumentIds;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.PutResult;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;

import java.io.IOException;

/**
 * {@code PUT /databases/{db}/docs?id=} (201 {@code {"Id","ChangeVector"}}) and {@code DELETE …?id=} (204), both
 * honouring {@code If-Match}. A PUT body is read once — a small one into the worker's reusable buffer, a large one
 * (charged to the large-request budget) into mapped scratch space — converted to blittable by the worker's
 * {@link BlitWriter} straight from there (it finds bad JSON, bad UTF-8 and excessive depth with their position)
 * into the worker's heap buffer, or, for a spooled body, into read-write scratch space behind a 1 MiB heap window,
 * queued on the database's transaction merger straight from the writer's buffer, and answered once the commit
 * holding it is durable; then the writer gives back any buffer it grew. The worker thread waits for that commit; the merger lets all waiting
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
            DocumentIds.ValidId valid = DocumentIds.validate(id); // checked once, before the body is read
            String expected = ChangeVectorHeaders.expected(exchange);
            if (exchange.getRequestMethod().equals(Methods.DELETE)) {
                lease.writes().delete(id, expected).join();
                exchange.setStatusCode(204);
                exchange.endExchange();
                return;
            }
            BlitWriter writer = DocumentOutput.get().writer();
            PutResult result;
            // The local store copies a document from wherever it was built into its pages; a replicated database
            // copies it onto the heap for its log entry, so only the local case is charged as built off-heap.
            boolean local = lease.writes() instanceof DocumentStore;
            try (RequestBody body = local ? bodyReader.openDocument(exchange) : bodyReader.open(exchange)) {
                // A large document is built in the body's scratch space, not on the heap (FORMAT.md §14).
                BlitBuilder document = writer.convert(body.segment(), body.spillSpace());
                // The segment views the writer's buffer or the scratch space, both held until this thread is done
                // waiting below (the body closes after the commit), so nothing reuses them meanwhile.
                result = lease.writes().put(valid, document.segment(), expected).join();
            } finally {
                writer.trim(); // a buffer grown for a large document is not kept by the thread
            }
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
