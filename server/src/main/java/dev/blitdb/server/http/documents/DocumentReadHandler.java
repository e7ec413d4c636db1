package dev.blitdb.server.http.documents;

import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.errors.ApiException;
import dev.blitdb.server.http.routing.Params;
import dev.blitdb.storage.documents.DocumentIds;
import dev.blitdb.storage.documents.DocumentIterator;
import dev.blitdb.storage.documents.DocumentReader;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import dev.blitdb.server.http.json.JsonBody;
import io.undertow.util.Headers;
import io.undertow.util.Methods;

import java.io.IOException;
import java.util.Deque;

/**
 * {@code GET|HEAD /databases/{db}/docs}: one id → the document (404 when missing), several {@code id=} →
 * {@code {"Results":[doc or null, …]}}, no id → a page of documents by id prefix ({@code startsWith}) or, without
 * a prefix, by etag ({@code fromEtag}), with {@code start} and {@code pageSize}. Everything is read from one read
 * transaction (one snapshot) and streamed while it is open.
 */
final class DocumentReadHandler implements HttpHandler {

    static final int DEFAULT_PAGE_SIZE = 128;
    static final int MAX_PAGE_SIZE = 1024;
    static final int MAX_IDS = DocumentLimits.MAX_IDS_PER_GET;

    private final DatabaseRegistry registry;

    DocumentReadHandler(DatabaseRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws IOException {
        boolean head = exchange.getRequestMethod().equals(Methods.HEAD);
        Deque<String> ids = exchange.getQueryParameters().get("id");
        try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db"));
             DocumentReader reader = lease.store().beginRead()) {
            serve(exchange, reader, ids, head);
        } finally {
            DocumentOutput.get().forget();
        }
    }

    private static void serve(HttpServerExchange exchange, DocumentReader reader, Deque<String> ids, boolean head)
            throws IOException {
        if (ids != null && !ids.isEmpty()) {
            for (String paging : new String[] {"startsWith", "start", "pageSize", "fromEtag"}) {
                if (exchange.getQueryParameters().containsKey(paging)) {
                    throw ApiException.badRequest("give either id (load by id) or " + paging + " (paging), not both");
                }
            }
        }
        if (ids != null && ids.size() == 1) {
            one(exchange, reader, ids.getFirst(), head);
        } else if (ids != null && !ids.isEmpty()) {
            many(exchange, reader, ids, head);
        } else {
            page(exchange, reader, head);
        }
    }

    private static void one(HttpServerExchange exchange, DocumentReader reader, String id, boolean head)
            throws IOException {
        DocumentOutput output = DocumentOutput.get();
        if (!reader.get(id, output.stored)) {
            throw ApiException.notFound("document '" + id + "' does not exist");
        }
        String changeVector = output.stored.changeVector();
        ChangeVectorHeaders.setETag(exchange, changeVector);
        if (ChangeVectorHeaders.notModified(exchange, changeVector)) {
            exchange.setStatusCode(304);
            exchange.endExchange();
            return;
        }
        if (head) {
            // The Content-Length a GET would send, counted from the blittable layout without rendering the JSON.
            exchange.setStatusCode(200);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, JsonBody.CONTENT_TYPE);
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, output.measureDocument());
            exchange.endExchange();
            return;
        }
        output.begin(exchange).writeDocument();
        output.finish();
    }

    private static void many(HttpServerExchange exchange, DocumentReader reader, Deque<String> ids, boolean head)
            throws IOException {
        if (ids.size() > MAX_IDS) {
            throw ApiException.badRequest(ids.size() + " ids in one request; ask for at most " + MAX_IDS);
        }
        DocumentOutput output = DocumentOutput.get();
        // Check every id before the first byte goes out (a bad id must still be able to answer 400); each id is
        // then looked up once, while its result is written.
        for (String id : ids) {
            DocumentIds.key(id);
        }
        if (head) {
            exchange.setStatusCode(200);
            exchange.endExchange();
            return;
        }
        output.begin(exchange).startResults();
        for (String id : ids) {
            output.writeResult(reader.get(id, output.stored));
        }
        output.endResults();
        output.finish();
    }

    private static void page(HttpServerExchange exchange, DocumentReader reader, boolean head) throws IOException {
        String prefix = Params.optional(exchange, "startsWith");
        int start = (int) Params.number(exchange, "start", 0, 0, Integer.MAX_VALUE);
        int pageSize = (int) Params.number(exchange, "pageSize", DEFAULT_PAGE_SIZE, 0, MAX_PAGE_SIZE);
        long fromEtag = Params.number(exchange, "fromEtag", 0, 0, Long.MAX_VALUE);
        if (prefix != null && exchange.getQueryParameters().containsKey("fromEtag")) {
            throw ApiException.badRequest("give either startsWith (id order) or fromEtag (write order), not both");
        }
        if (head) {
            exchange.setStatusCode(200);
            exchange.endExchange();
            return;
        }
        DocumentOutput output = DocumentOutput.get();
        DocumentIterator it;
        if (prefix != null) {
            it = reader.startsWith(prefix, start);
        } else {
            it = reader.byEtag(fromEtag);
            for (int skipped = 0; skipped < start && it.next(output.stored); skipped++) {
                // skip to the page
            }
        }
        output.begin(exchange).startResults();
        for (int n = 0; n < pageSize && it.next(output.stored); n++) {
            output.writeResult(true);
        }
        output.endResults();
        output.finish();
    }
}
