package dev.blitdb.server.http.queries;

import dev.blitdb.blittable.ByteBufferSink;
import dev.blitdb.indexing.execution.QueryExecutor;
import dev.blitdb.indexing.execution.QueryResult;
import dev.blitdb.indexing.execution.WouldBlockException;
import dev.blitdb.indexing.query.QueryParameters;
import dev.blitdb.indexing.query.rql.RqlCache;
import dev.blitdb.indexing.query.rql.RqlQuery;
import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.errors.ErrorResponder;
import dev.blitdb.server.http.json.JsonBody;
import dev.blitdb.server.http.routing.RouteTable;
import dev.blitdb.server.indexes.IndexService;
import dev.blitdb.storage.documents.StoredDocument;
import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import org.xnio.IoUtils;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.Map;

/**
 * Answers the common query straight on the IO thread when that cannot block, as {@code DocumentGetFastPath} does
 * for GET: the request body (at most {@link #MAX_BODY} bytes, a known length, no {@code Expect}) is read without
 * blocking (Undertow's receiver calls back on this thread when it has arrived), the query does not wait for
 * non-stale results, its index exists (no automatic index to
 * create or widen), counting its exact total takes at most {@link QueryExecutor#INLINE_MAX_COUNTED} matches, every
 * result document is resident ({@code MemorySegment.isLoaded()}), and the answer fits {@link #MAX_BUFFERS} pooled
 * response buffers. Anything else — and any error, which the worker path answers with its JSON body — is handed,
 * with the body put back ({@link Connectors#ungetRequestBytes}), to the blocking handler on a worker thread,
 * which runs the query from the start.
 *
 * <p>Why: a query handed to a worker costs two thread switches, and Undertow's IO thread spins while the worker
 * finishes the exchange (profiled: a third of the point query's CPU on two cores); the query itself is a few
 * microseconds of Lucene and a few of JSON. The answer is rendered into pooled direct buffers and sent with a
 * {@code Content-Length}, with nothing allocated per document.
 */
final class QueryFastPath implements HttpHandler {

    /** Larger bodies (long RQL, long {@code in} lists) go to the worker. */
    static final int MAX_BODY = 8 * 1024;
    /** Pooled response buffers (16 KiB each) an inline answer may fill; a larger answer streams from a worker. */
    static final int MAX_BUFFERS = 8;

    private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);
    /** Queries answered here, for tests that must tell the two paths apart (one add per answer, no contention). */
    static final java.util.concurrent.atomic.LongAdder ANSWERED_INLINE = new java.util.concurrent.atomic.LongAdder();

    private final DatabaseRegistry registry;
    private final RqlCache parsed;
    private final HttpHandler blocking;

    QueryFastPath(DatabaseRegistry registry, RqlCache parsed, HttpHandler blocking) {
        this.registry = registry;
        this.parsed = parsed;
        this.blocking = blocking;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!exchange.isInIoThread() || !tryServe(exchange)) {
            blocking.handleRequest(exchange);
        }
    }

    /** The reusable pieces of one IO thread (it serves one request at a time). */
    private static final class Scratch {
        final PooledByteBuffer[] buffers = new PooledByteBuffer[MAX_BUFFERS];
        int used;
        ByteBufferPool pool;
        final ByteBufferSink.Refill refill = full -> {
            if (used == MAX_BUFFERS) {
                throw WouldBlockException.INSTANCE; // too big for an inline answer
            }
            return next();
        };

        ByteBuffer next() {
            PooledByteBuffer pooled = pool.allocate();
            buffers[used++] = pooled;
            ByteBuffer buffer = pooled.getBuffer();
            buffer.clear();
            return buffer;
        }

        void releaseAll() {
            for (int i = 0; i < used; i++) {
                buffers[i].close();
                buffers[i] = null;
            }
            used = 0;
        }
    }

    /**
     * @return true when this path took the request: answered it, or will answer or hand it on once its body has
     *         arrived
     */
    private boolean tryServe(HttpServerExchange exchange) {
        if (exchange.getRequestMethod().equals(Methods.POST)) {
            long length = exchange.getRequestContentLength();
            if (length <= 0 || length > MAX_BODY || exchange.getRequestHeaders().contains(Headers.EXPECT)) {
                return false;
            }
            // Reads without blocking: at once when the body is here, else when it arrives (still on this thread).
            exchange.getRequestReceiver().receiveFullBytes(this::received,
                    (ex, e) -> IoUtils.safeClose(ex.getConnection()));
            return true;
        }
        Map<String, Deque<String>> params = exchange.getQueryParameters();
        Deque<String> text = params.get("query");
        if (params.size() != 1 || text == null || text.size() != 1) {
            return false;
        }
        return serve(exchange, new QueryRequest(text.getFirst(), Map.of(), false, QueryRequest.DEFAULT_TIMEOUT),
                PER_THREAD.get());
    }

    private void received(HttpServerExchange exchange, byte[] body) {
        boolean served;
        try {
            QueryRequest request = QueryRequest.parse(body, body.length);
            served = !request.waitForNonStale() && serve(exchange, request, PER_THREAD.get());
        } catch (IOException | RuntimeException e) {
            served = false; // the worker answers with the error
        }
        if (!served) {
            handOn(exchange, body);
        }
    }

    /** Puts the body back for the worker path's reader and hands the request to the worker. */
    private void handOn(HttpServerExchange exchange, byte[] body) {
        PooledByteBuffer pooled = exchange.getConnection().getByteBufferPool().allocate();
        pooled.getBuffer().clear().put(body).flip();
        Connectors.ungetRequestBytes(exchange, pooled);
        Connectors.resetRequestChannel(exchange);
        try {
            blocking.handleRequest(exchange);
        } catch (Exception e) {
            ErrorResponder.respond(exchange, e);
        }
    }

    private boolean serve(HttpServerExchange exchange, QueryRequest request, Scratch scratch) {
        scratch.pool = exchange.getConnection().getByteBufferPool();
        try (DatabaseLease lease = registry.acquire(RouteTable.pathParameter(exchange, "db"))) {
            RqlQuery query = parsed.parse(request.query());
            QueryParameters parameters = QueryParameters.of(request.parameters());
            ProjectionWriter projection = query.select().isEmpty() ? null : new ProjectionWriter(query.select());
            QueryEnvelope envelope = QueryEnvelope.get();
            ByteBufferSink sink = new ByteBufferSink(scratch.next(), scratch.refill);
            envelope.begin(sink);
            QueryResult result = IndexService.of(lease.database()).queries().execute(query, parameters,
                    QueryExecutor.Options.nonBlocking(), stored -> document(envelope, sink, stored, projection));
            envelope.finish(sink, result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scratch.releaseAll();
            return false;
        } catch (IOException | RuntimeException e) {
            scratch.releaseAll(); // would block, too big, or an error the worker path reports
            return false;
        }
        int n = scratch.used;
        PooledByteBuffer[] pooled = new PooledByteBuffer[n];
        ByteBuffer[] out = new ByteBuffer[n];
        long length = 0;
        for (int i = 0; i < n; i++) {
            pooled[i] = scratch.buffers[i];
            scratch.buffers[i] = null;
            out[i] = pooled[i].getBuffer().flip();
            length += out[i].remaining();
        }
        scratch.used = 0;
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, JsonBody.CONTENT_TYPE);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, length);
        ANSWERED_INLINE.increment();
        Release release = new Release(pooled);
        if (n == 1) {
            exchange.getResponseSender().send(out[0], release);
        } else {
            exchange.getResponseSender().send(out, release);
        }
        return true;
    }

    private static void document(QueryEnvelope envelope, ByteBufferSink sink, StoredDocument stored,
                                 ProjectionWriter projection) throws IOException {
        if (!stored.record().isLoaded()) {
            throw WouldBlockException.INSTANCE; // a page fault would stall every connection of this IO thread
        }
        envelope.document(sink, stored, projection);
    }

    /** Gives the pooled buffers back once Undertow has written them (or failed to). */
    private record Release(PooledByteBuffer[] pooled) implements IoCallback {
        @Override
        public void onComplete(HttpServerExchange exchange, Sender sender) {
            close();
            IoCallback.END_EXCHANGE.onComplete(exchange, sender);
        }

        @Override
        public void onException(HttpServerExchange exchange, Sender sender, IOException exception) {
            close();
            IoCallback.END_EXCHANGE.onException(exchange, sender, exception);
        }

        private void close() {
            for (PooledByteBuffer p : pooled) {
                p.close();
            }
        }
    }
}
