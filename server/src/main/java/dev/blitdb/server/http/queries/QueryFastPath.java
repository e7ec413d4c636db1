package dev.blitdb.server.http.queries;

import dev.blitdb.indexing.execution.QueryExecutor;
import dev.blitdb.indexing.query.QueryParameters;
import dev.blitdb.indexing.query.rql.RqlCache;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.errors.ErrorResponder;
import dev.blitdb.server.http.json.JsonBody;
import dev.blitdb.server.http.routing.RouteTable;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import org.xnio.IoUtils;

import java.io.IOException;
import java.util.Deque;
import java.util.Map;

/**
 * Answers the common query straight on the IO thread when that cannot block, as {@code DocumentGetFastPath} does
 * for GET: the request body (at most {@link #MAX_BODY} bytes, a known length, no {@code Expect}) is read without
 * blocking (Undertow's receiver calls back on this thread when it has arrived), the query does not wait for
 * non-stale results, its index exists (no automatic index to
 * create or widen), counting its exact total takes at most {@link QueryExecutor#INLINE_MAX_COUNTED} matches, every
 * result document is resident ({@code MemorySegment.isLoaded()}), and the answer fits {@link #MAX_BUFFERS}
 * response buffers. Anything else — and any error, which the worker path answers with its JSON body — is handed,
 * with the body put back ({@link Connectors#ungetRequestBytes}), to the blocking handler on a worker thread,
 * which runs the query from the start.
 *
 * <p>Why: a query handed to a worker costs two thread switches, and Undertow's IO thread spins while the worker
 * finishes the exchange (profiled: a third of the point query's CPU on two cores); the query itself is a few
 * microseconds of Lucene and a few of JSON. The answer is rendered ({@link ResidentQuery}) into the direct buffers
 * of a {@link PooledQueryResponse} from the IO thread's free list and sent with a {@code Content-Length}: nothing
 * of the server's own is allocated per query or per document.
 */
final class QueryFastPath implements HttpHandler {

    /** Larger bodies (long RQL, long {@code in} lists) go to the worker. */
    static final int MAX_BODY = 8 * 1024;
    /** Response buffers (16 KiB each) an inline answer may fill; a larger answer streams from a worker. */
    static final int MAX_BUFFERS = PooledQueryResponse.MAX_BUFFERS;
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
        return serve(exchange, text.getFirst(), ResidentQuery.NO_PARAMETERS);
    }

    private void received(HttpServerExchange exchange, byte[] body) {
        boolean served;
        try {
            QueryRequest request = QueryRequest.parse(body, body.length);
            served = !request.waitForNonStale()
                    && serve(exchange, request.query(), ResidentQuery.parameters(request.parameters()));
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

    private boolean serve(HttpServerExchange exchange, String rql, QueryParameters parameters) {
        PooledQueryResponse response = PooledQueryResponse.take(exchange.getConnection().getBufferSize());
        try {
            if (!ResidentQuery.forThisThread().render(registry, parsed, RouteTable.pathParameter(exchange, "db"), rql,
                    parameters, response)) {
                response.release();
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.release();
            return false;
        }
        long length = response.flip();
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, JsonBody.CONTENT_TYPE);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, length);
        ANSWERED_INLINE.increment();
        response.send(exchange.getResponseSender());
        return true;
    }
}
