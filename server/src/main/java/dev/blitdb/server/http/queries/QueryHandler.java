package dev.blitdb.server.http.queries;

import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitJsonWriter;
import dev.blitdb.blittable.JsonSink;
import dev.blitdb.indexing.execution.QueryExecutor;
import dev.blitdb.indexing.execution.QueryResult;
import dev.blitdb.indexing.query.QueryParameters;
import dev.blitdb.indexing.query.rql.RqlCache;
import dev.blitdb.indexing.query.rql.RqlQuery;
import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.body.RequestBodyReader;
import dev.blitdb.server.http.json.JsonBody;
import dev.blitdb.server.http.routing.Params;
import dev.blitdb.server.indexes.IndexService;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code POST /databases/{db}/queries} (and {@code GET ...?query=} for quick looks): runs RQL and streams
 * {@code {"Results":[...],"TotalResults":n,"SkippedResults":n,"IsStale":b,"IndexName":"...","DurationInMs":n}}.
 * Documents go from the mapped store through the blittable JSON writer into the response stream exactly as GET
 * sends them. The response starts only when the first document is ready, so a query that fails (bad RQL,
 * unknown index or field) still answers with its JSON error and status.
 */
final class QueryHandler {

    private static final byte[] RESULTS_START = "{\"Results\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMA = {','};

    private final DatabaseRegistry registry;
    private final RequestBodyReader bodies;
    /** Parsed RQL by text, shared by every database (a parsed query does not depend on one). */
    private final RqlCache parsed = new RqlCache(RqlCache.DEFAULT_CAPACITY);

    QueryHandler(DatabaseRegistry registry, RequestBodyReader bodies) {
        this.registry = registry;
        this.bodies = bodies;
    }

    void handle(HttpServerExchange exchange) throws Exception {
        QueryRequest request;
        if (exchange.getRequestMethod().equals(Methods.GET)) {
            request = new QueryRequest(Params.required(exchange, "query"), Map.of(),
                    Boolean.parseBoolean(Params.optional(exchange, "waitForNonStaleResults")),
                    QueryRequest.DEFAULT_TIMEOUT);
        } else {
            var body = bodies.read(exchange);
            request = QueryRequest.parse(body.array(), body.length());
        }
        RqlQuery query = parsed.parse(request.query());
        QueryParameters parameters = QueryParameters.of(request.parameters());
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"))) {
            QueryExecutor executor = IndexService.of(lease.database()).queries();
            Output output = new Output(exchange, query);
            QueryResult result = executor.execute(query, parameters,
                    new QueryExecutor.Options(request.waitForNonStale(), request.timeout()), output::document);
            output.finish(result);
        }
    }

    /** The streaming response of one query. */
    private static final class Output {
        private final HttpServerExchange exchange;
        private final ProjectionWriter projection;
        private final BlitJsonWriter json = new BlitJsonWriter(8 * 1024);
        private final BlitDocument document = new BlitDocument();
        private OutputStream out;
        private JsonSink sink;
        private int written;

        Output(HttpServerExchange exchange, RqlQuery query) {
            this.exchange = exchange;
            this.projection = query.select().isEmpty() ? null : new ProjectionWriter(query.select());
        }

        private void begin() throws IOException {
            exchange.setStatusCode(200);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, JsonBody.CONTENT_TYPE);
            out = exchange.getOutputStream();
            sink = out::write;
            out.write(RESULTS_START);
        }

        void document(dev.blitdb.storage.documents.StoredDocument stored) throws IOException {
            if (out == null) {
                begin();
            }
            if (written++ > 0) {
                out.write(COMMA);
            }
            if (projection == null) {
                json.write(stored.document(document), true, sink);
            } else {
                projection.write(stored.document(document), stored.id(), sink);
            }
        }

        void finish(QueryResult result) throws IOException {
            if (out == null) {
                begin();
            }
            String index = result.indexName() == null ? "null" : "\"" + new String(
                    com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsUTF8(result.indexName()),
                    StandardCharsets.UTF_8) + "\"";
            String tail = "],\"TotalResults\":" + result.totalResults() + ",\"SkippedResults\":"
                    + result.skippedResults() + ",\"IsStale\":" + result.isStale() + ",\"IndexName\":" + index
                    + ",\"DurationInMs\":" + result.durationMillis() + "}";
            out.write(tail.getBytes(StandardCharsets.UTF_8));
            out.close();
        }
    }
}
