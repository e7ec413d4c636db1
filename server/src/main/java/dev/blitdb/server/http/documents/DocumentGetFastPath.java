package dev.blitdb.server.http.documents;

import dev.blitdb.blittable.ByteBufferSink;
import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.json.JsonBody;
import dev.blitdb.server.http.routing.RouteTable;
import dev.blitdb.storage.documents.DocumentReader;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;

import java.io.IOException;
import java.util.Deque;
import java.util.Map;

/**
 * Serves the common read, one document by id, straight on the IO thread when that cannot block: the database
 * is online, the document exists, its pages are resident ({@code MemorySegment.isLoaded()}, one {@code mincore}
 * call), and its JSON fits one pooled response buffer. Everything else — several ids, paging, a missing or cold
 * document (a page fault would stall every connection of this IO thread), a large one, any error — goes to the
 * blocking handler on a worker thread, which answers it completely (including the errors).
 *
 * <p>Why: handing a request to a worker and back costs two thread switches, as much as the rest of a 1 KB GET.
 * Reading a resident document is a few hundred nanoseconds of copying, with no lock (read transactions are
 * lock-free snapshots).
 */
final class DocumentGetFastPath implements HttpHandler {

    /** Thrown (preallocated, no stack) when the JSON outgrows the pooled buffer: fall back to the worker. */
    private static final IOException TOO_BIG = new IOException("document larger than one response buffer", null) {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };
    private static final ByteBufferSink.Refill NO_REFILL = full -> {
        throw TOO_BIG;
    };

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
        String id = ids.getFirst();
        boolean head = exchange.getRequestMethod().equals(Methods.HEAD);
        DocumentOutput output = DocumentOutput.get();
        PooledByteBuffer pooled = null;
        try (DatabaseLease lease = registry.acquire(RouteTable.pathParameter(exchange, "db"));
             DocumentReader reader = lease.store().beginRead()) {
            if (id.isEmpty() || !reader.get(id, output.stored) || !output.stored.record().isLoaded()) {
                return false;
            }
            String changeVector = output.stored.changeVector();
            if (ChangeVectorHeaders.notModified(exchange, changeVector) || head) {
                return false; // rare: the worker path answers 304 and HEAD with the same rules
            }
            pooled = exchange.getConnection().getByteBufferPool().allocate();
            var buffer = pooled.getBuffer();
            buffer.clear();
            output.writeDocument(new ByteBufferSink(buffer, NO_REFILL));
            buffer.flip();
            ChangeVectorHeaders.setETag(exchange, changeVector);
        } catch (IOException | RuntimeException e) {
            if (pooled != null) {
                pooled.close();
            }
            return false; // unknown database, bad id, too big: the worker path answers (errors included)
        }
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, JsonBody.CONTENT_TYPE);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, pooled.getBuffer().remaining());
        exchange.getResponseSender().send(pooled.getBuffer(), new Release(pooled));
        return true;
    }

    /** Gives the pooled buffer back once Undertow has written it (or failed to). */
    private record Release(PooledByteBuffer pooled) implements IoCallback {
        @Override
        public void onComplete(HttpServerExchange exchange, Sender sender) {
            pooled.close();
            IoCallback.END_EXCHANGE.onComplete(exchange, sender);
        }

        @Override
        public void onException(HttpServerExchange exchange, Sender sender, IOException exception) {
            pooled.close();
            IoCallback.END_EXCHANGE.onException(exchange, sender, exception);
        }
    }
}
