package dev.blitdb.server.http.documents;

import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.body.RequestBody;
import dev.blitdb.server.http.body.RequestBodyReader;
import dev.blitdb.server.http.json.JsonBody;
import dev.blitdb.server.http.routing.Params;
import dev.blitdb.storage.documents.DeleteResult;
import dev.blitdb.storage.documents.DocumentCommand;
import dev.blitdb.storage.documents.PutResult;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.io.IOException;
import java.util.List;

/**
 * {@code POST /databases/{db}/bulk_docs}: every command in one transaction, all or none. On success 200
 * {@code {"Results":[{"Type":"PUT","Id","ChangeVector","Collection"} | {"Type":"DELETE","Id","Deleted"}, …]}} in
 * command order; when one command fails nothing is applied and the error (409, 400, 413, 507 as that command's
 * failure stands for) carries {@code CommandIndex} and a message naming the command and why.
 */
final class BulkDocsHandler implements HttpHandler {

    private final DatabaseRegistry registry;
    private final RequestBodyReader bodyReader;

    BulkDocsHandler(DatabaseRegistry registry, RequestBodyReader bodyReader) {
        this.registry = registry;
        this.bodyReader = bodyReader;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws IOException {
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"))) {
            List<Object> results;
            var writer = DocumentOutput.get().writer();
            // The body (and its grant from the large-request budget) is held until the batch has committed: the
            // parsed commands are about as large as the body.
            try (RequestBody body = bodyReader.open(exchange)) {
                List<DocumentCommand> commands = BulkDocsParser.parse(body.segment(), writer);
                results = commands.isEmpty() ? List.of() : lease.writes().batch(commands).join();
            } finally {
                writer.trim();
            }
            JsonBody.send(exchange, 200, json -> {
                json.writeStartObject();
                json.writeArrayFieldStart("Results");
                for (Object result : results) {
                    json.writeStartObject();
                    switch (result) {
                        case PutResult put -> {
                            json.writeStringField("Type", "PUT");
                            json.writeStringField("Id", put.id());
                            json.writeStringField("ChangeVector", put.changeVector());
                            json.writeStringField("Collection", put.collection());
                        }
                        case DeleteResult delete -> {
                            json.writeStringField("Type", "DELETE");
                            json.writeStringField("Id", delete.id());
                            json.writeBooleanField("Deleted", delete.deleted());
                        }
                        default -> throw new IllegalStateException("unexpected batch result " + result);
                    }
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            });
        }
    }
}
