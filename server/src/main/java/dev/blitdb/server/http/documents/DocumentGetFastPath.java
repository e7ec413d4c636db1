package dev.blitdb.server.http.documents;

import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.json.JsonBody;
import dev.blitdb.server.http.routing.RouteTable;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;

import java.util.Deque;
import java.util.Map;

/**
 * Serves the common read, one document by id, straight on the IO thread when that cannot block: the database
 * is online, the document exists, its pages are resident ({@code MemorySegment.isLoaded()}, one {@code mincore}
 * call), and its JSON fits one pooled response buffer. Everything else — several ids, paging, a missing or cold
 * document (a page fault would stall every connection of this IO thread), a large one, a matching
 * {@code If-None-Match}, any error — goes to the blocking handler on a worker thread, which answers it completely
 * (including the errors).
 *
 * <p>Why: handing a request to a worker and back costs two thread switches, as much as the rest of a 1 KB GET.
 * Reading a resident document is a few hundred nanoseconds of copying, with no lock (read transactions are
 * lock-free snapshots). The work is {@link ResidentDocumentGet} (per thread, allocation-free); the buffer in
 * flight belongs to a {@link PooledGetResponse} from the thread's free list.
 */
final class DocumentGetFastPath implements HttpHandler {

    private final DatabaseRegistry registry;
    private final HttpHandler blocking;

    DocumentGetFastPath(DatabaseRegistry registry, HttpHandler blocking) {
        this.registry = registry;
        this.blocking = blocking;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!exchange.isInIoThread() || !tryServe(exchange)) {
            blocking.handleRequest(exchange);
        }
    }

    private boolean tryServe(HttpServerExchange exchange) {
        Map<String, Deque<String>> params = exchange.getQueryParameters();
        Deque<String> ids = params.get("id");
        if (ids == null || ids.size() != 1 || params.size() != 1) {
            return false;
        }
        ResidentDocumentGet get = ResidentDocumentGet.forThisThread();
        PooledGetResponse response = PooledGetResponse.take(exchange.getConnection().getBufferSize());
        if (!get.render(registry, RouteTable.pathParameter(exchange, "db"), ids.getFirst(),
                exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH), response.buffer())) {
            response.release();
            return false;
        }
        exchange.setStatusCode(200);
        HeaderMap headers = exchange.getResponseHeaders();
        headers.put(Headers.ETAG, get.etag());
        headers.put(Headers.CONTENT_TYPE, JsonBody.CONTENT_TYPE);
        headers.put(Headers.CONTENT_LENGTH, get.contentLength());
        exchange.getResponseSender().send(response.buffer(), response);
        return true;
    }
}
