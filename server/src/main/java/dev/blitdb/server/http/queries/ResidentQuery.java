package dev.blitdb.server.http.queries;

import dev.blitdb.blittable.ByteBufferSink;
import dev.blitdb.indexing.execution.QueryExecutor;
import dev.blitdb.indexing.execution.QueryResult;
import dev.blitdb.indexing.execution.ResultVisitor;
import dev.blitdb.indexing.execution.WouldBlockException;
import dev.blitdb.indexing.query.QueryParameters;
import dev.blitdb.indexing.query.rql.RqlCache;
import dev.blitdb.indexing.query.rql.RqlQuery;
import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.indexes.IndexService;
import dev.blitdb.storage.documents.StoredDocument;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * The exchange-free part of the inline query ({@link QueryFastPath}), one instance per IO thread: run the query
 * with {@link QueryExecutor.Options#nonBlocking()} and render its answer into a {@link PooledQueryResponse}'s
 * buffers. Public so that bench's {@code QueryFastPathBenchmark} measures exactly this code with {@code -prof gc}.
 *
 * <p>Per call it allocates nothing of its own: the JSON sink, the visitor and the envelope are the thread's, the
 * response (buffers, send array, callback) comes from the thread's free list, a query without parameters shares
 * one empty {@link QueryParameters}, and a {@code select} reuses the projection writer while the same parsed query
 * (the cache hands out one object per text) is asked again. What a query still allocates is the executor's and
 * Lucene's (see bench/results/queries.md), and the parameter map of a query that has parameters.
 */
public final class ResidentQuery {

    private static final ThreadLocal<ResidentQuery> PER_THREAD = ThreadLocal.withInitial(ResidentQuery::new);
    /** What a query without parameters runs with (no map made per query). */
    static final QueryParameters NO_PARAMETERS = QueryParameters.of(Map.of());

    private final QueryEnvelope envelope = QueryEnvelope.get();
    /** The response being filled (set for the call): the sink's refill takes its next buffer. */
    private PooledQueryResponse response;
    private final ByteBufferSink sink = new ByteBufferSink(ByteBuffer.allocate(0), full -> response.next());
    private final ResultVisitor visitor = this::document;
    private ProjectionWriter projection;
    private List<RqlQuery.Projection> projected;
    private ProjectionWriter current;

    private ResidentQuery() {
    }

    /** The calling thread's instance (an IO thread keeps one for its lifetime). */
    public static ResidentQuery forThisThread() {
        return PER_THREAD.get();
    }

    /** Parameters for {@link #render}: the shared empty set for an empty map. */
    public static QueryParameters parameters(Map<String, ?> values) {
        return values.isEmpty() ? NO_PARAMETERS : QueryParameters.of(values);
    }

    /**
     * Answers {@code rql} on database {@code db} into {@code into} when that cannot block or fail: the database is
     * online, the query parses, its index exists and answers without waiting, every result is resident, and the
     * answer fits the response's buffers. False otherwise — the caller hands the request to the worker path,
     * which answers everything (errors included); {@code into} then holds nothing to send.
     */
    boolean render(DatabaseRegistry registry, RqlCache parsed, String db, String rql, QueryParameters parameters,
                   PooledQueryResponse into) throws InterruptedException {
        try (DatabaseLease lease = registry.acquire(db)) {
            RqlQuery query = parsed.parse(rql);
            current = projectionOf(query.select());
            response = into;
            sink.reset(into.next());
            envelope.begin(sink);
            QueryResult result = IndexService.of(lease.database()).queries().execute(query, parameters,
                    QueryExecutor.Options.nonBlocking(), visitor);
            envelope.finish(sink, result);
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // would block, too big, or an error the worker path reports
        } finally {
            sink.reset(null); // keep no reference to a pooled buffer past the call
            response = null;
            current = null;
        }
    }

    /** {@link #render} for bench: the response is taken and released around it, its answer length returned. */
    public long renderAndRelease(DatabaseRegistry registry, RqlCache parsed, String db, String rql,
                                 QueryParameters parameters, int bufferSize) throws InterruptedException {
        PooledQueryResponse response = PooledQueryResponse.take(bufferSize);
        try {
            return render(registry, parsed, db, rql, parameters, response) ? response.flip() : -1;
        } finally {
            response.release();
        }
    }

    private ProjectionWriter projectionOf(List<RqlQuery.Projection> select) {
        if (select.isEmpty()) {
            return null;
        }
        if (select != projected) { // the parsed query is cached: the same list while the same query is asked
            projection = new ProjectionWriter(select);
            projected = select;
        }
        return projection;
    }

    private void document(StoredDocument stored) throws IOException {
        if (!stored.record().isLoaded()) {
            throw WouldBlockException.INSTANCE; // a page fault would stall every connection of this IO thread
        }
        envelope.document(sink, stored, current);
    }
}
