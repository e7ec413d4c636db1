package dev.blitdb.server.http.queries;

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
import java.util.Map;

/**
 * {@code POST /databases/{db}/queries} (and {@code GET ...?query=} for quick looks): runs RQL and streams
 * {@code {"Results":[...],"TotalResults":n,"SkippedResults":n,"IsStale":b,"IndexName":"...","DurationInMs":n}}.
 * Documents go from the mapped store through the blittable JSON writer into the response stream exactly as GET
 * sends them. The response starts only when the first document is ready, so a query that fails (bad RQL,
 * unknown index or field) still answers with its JSON error and status.
 */
final class QueryHandler {

    private final DatabaseRegistry registry;
    private final RequestBodyReader bodies;
    /** Parsed RQL by text, shared by every database (a parsed query does not depend on one). */
    private final RqlCache parsed;

    QueryHandler(DatabaseRegistry registry, RequestBodyReader bodies, RqlCache parsed) {
        this.registry = registry;
        this.bodies = bodies;
        this.parsed = parsed;
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

    /** The streaming response of one query (blocking mode, on a worker thread). */
    private static final class Output {
        private final HttpServerExchange exchange;
        private final ProjectionWriter projection;
        private final QueryEnvelope envelope = QueryEnvelope.get();
        private OutputStream out;
        private JsonSink sink;

        Output(HttpServerExchange exchange, RqlQuery query) {
            this.exchange = exchange;
            this.projection = query.select().isEmpty() ? null : new ProjectionWriter(query.select());
        }

        private void begin() throws IOException {
            exchange.setStatusCode(200);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, JsonBody.CONTENT_TYPE);
            out = exchange.getOutputStream();
            sink = out::write;
            envelope.begin(sink);
        }

        void document(dev.blitdb.storage.documents.StoredDocument stored) throws IOException {
            if (out == null) {
                begin();
            }
            envelope.document(sink, stored, projection);
        }

        void finish(QueryResult result) throws IOException {
            if (out == null) {
                begin();
            }
            envelope.finish(sink, result);
            out.close();
        }
    }
}
