package dev.blitdb.indexing.execution;

import dev.blitdb.indexing.definition.FieldType;
import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexField;
import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.indexing.query.IndexSearch;
import dev.blitdb.indexing.query.LuceneQueryBuilder;
import dev.blitdb.indexing.query.QueryException;
import dev.blitdb.indexing.query.QueryParameters;
import dev.blitdb.indexing.query.QuerySortBuilder;
import dev.blitdb.indexing.query.rql.RqlExpression;
import dev.blitdb.indexing.query.rql.RqlQuery;
import dev.blitdb.indexing.query.rql.RqlValue;
import dev.blitdb.indexing.worker.IndexWorker;
import dev.blitdb.storage.documents.DocumentIterator;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.StoredDocument;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a parsed query against a database: chooses the index (named, automatic, or none for a plain collection
 * walk), optionally waits until it is not stale as of the query's start, searches, and hands the documents to a
 * visitor in order from one read transaction.
 *
 * <p>{@code from Users} with no {@code where} and no {@code order by} walks the collection in etag (write)
 * order and is never stale. A collection query with either uses the automatic index for the fields it needs,
 * created on first use and widened (rebuilt with the union of fields) when a query needs a field it lacks.
 */
public final class QueryExecutor {

    /** Queries without {@code limit} return at most this many documents; {@code TotalResults} counts them all. */
    public static final int DEFAULT_PAGE_SIZE = 1_000_000;

    private final IndexManager indexes;

    public QueryExecutor(IndexManager indexes) {
        this.indexes = indexes;
    }

    /** How to run a query. {@code waitForNonStale} with {@code timeout}: see {@link #execute}. */
    public record Options(boolean waitForNonStale, Duration timeout) {
        public static final Options DEFAULT = new Options(false, Duration.ofSeconds(15));
    }

    /**
     * Runs {@code query}. With {@code waitForNonStale}, waits up to the timeout for the index to process every
     * write committed before the query began; on time-out it answers with what is indexed and
     * {@code isStale = true} (no error), so callers can tell.
     */
    public QueryResult execute(RqlQuery query, QueryParameters parameters, Options options, ResultVisitor visitor)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return run(query, parameters, options, visitor);
            } catch (org.apache.lucene.store.AlreadyClosedException replaced) {
                // The index was dropped, widened or recovered while this query held it: run again on the current
                // one. Nothing was sent yet: results are handed over only after the search succeeded.
                if (attempt == 3) {
                    throw replaced;
                }
            }
        }
    }

    private QueryResult run(RqlQuery query, QueryParameters parameters, Options options, ResultVisitor visitor)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        int offset = page(query.offset(), parameters, 0, "offset");
        int limit = page(query.limit(), parameters, DEFAULT_PAGE_SIZE, "limit");

        if (query.source() instanceof RqlQuery.Collection c && query.where().isEmpty() && query.orderBy().isEmpty()) {
            return walkCollection(c.name(), offset, limit, visitor, started);
        }
        IndexWorker worker = switch (query.source()) {
            case RqlQuery.Index i -> indexes.require(i.name());
            case RqlQuery.Collection c -> autoIndex(c.name(), query, parameters);
        };
        IndexDefinition definition = worker.definition();
        Query lucene = query.where()
                .map(where -> new LuceneQueryBuilder(definition, parameters, indexes.analyzer()).build(where))
                .orElseGet(MatchAllDocsQuery::new);
        boolean relevance = query.where().map(QueryExecutor::hasSearch).orElse(false);
        var sort = QuerySortBuilder.build(definition, query.orderBy(), relevance);

        if (options.waitForNonStale()) {
            long asOfEtag;
            try (DocumentReader reader = indexes.store().beginRead()) {
                asOfEtag = reader.lastEtag();
                if (!worker.isStale(reader, asOfEtag)) {
                    return answer(worker, reader, asOfEtag, lucene, sort, offset, limit, visitor, started);
                }
            }
            boolean caughtUp = worker.awaitNonStale(asOfEtag, options.timeout().toNanos());
            try (DocumentReader reader = indexes.store().beginRead()) {
                QueryResult r = answer(worker, reader, caughtUp ? Long.MIN_VALUE : asOfEtag, lucene, sort, offset,
                        limit, visitor, started);
                return caughtUp ? r : r.markedStale();
            }
        }
        try (DocumentReader reader = indexes.store().beginRead()) {
            return answer(worker, reader, reader.lastEtag(), lucene, sort, offset, limit, visitor, started);
        }
    }

    /**
     * Searches once and hands over the hits' documents, all from {@code reader}'s snapshot (one read transaction
     * per query). The index's position is read before its searcher is taken, so the staleness verdict errs only
     * towards stale. The searcher may show writes newer than the snapshot: a hit the snapshot does not hold is
     * skipped and counted, and the answer is marked stale.
     *
     * @param asOfEtag staleness is judged as of this etag; {@link Long#MIN_VALUE} when known not stale
     */
    private QueryResult answer(IndexWorker worker, DocumentReader reader, long asOfEtag, Query lucene,
                               org.apache.lucene.search.Sort sort, int offset, int limit, ResultVisitor visitor,
                               long started) throws IOException {
        IndexWorker.View view = worker.view();
        boolean stale = asOfEtag != Long.MIN_VALUE && worker.isStale(reader, asOfEtag, view);
        IndexSearch.Page page;
        IndexSearcher searcher = view.lucene().acquire();
        try {
            page = IndexSearch.search(searcher, lucene, sort, offset, limit);
        } finally {
            view.lucene().release(searcher);
        }
        int returned = 0;
        long skipped = 0;
        StoredDocument document = new StoredDocument();
        for (int i = 0; i < page.size(); i++) {
            if (reader.getByKey(page.key(i), document)) {
                visitor.accept(document);
                returned++;
            } else {
                skipped++; // deleted after the index saw it: the index is stale for it
            }
        }
        return new QueryResult(page.totalResults(), returned, stale || skipped > 0, worker.definition().name(),
                (System.nanoTime() - started) / 1_000_000, skipped);
    }

    private QueryResult walkCollection(String collection, int offset, int limit, ResultVisitor visitor,
                                       long started) throws IOException {
        try (DocumentReader reader = indexes.store().beginRead()) {
            long total = reader.collectionCount(collection);
            DocumentIterator it = reader.collection(collection, 0);
            StoredDocument document = new StoredDocument();
            int skipped = 0;
            while (skipped < offset && it.next(document)) {
                skipped++;
            }
            int returned = 0;
            while (returned < limit && it.next(document)) {
                visitor.accept(document);
                returned++;
            }
            return new QueryResult(total, returned, false, null, (System.nanoTime() - started) / 1_000_000, 0);
        }
    }

    /** Finds, creates or widens the automatic index for a collection query. */
    private IndexWorker autoIndex(String collection, RqlQuery query, QueryParameters parameters) throws IOException {
        Map<String, FieldType> needed = AutoIndexPlanner.requiredFields(query, parameters);
        for (IndexWorker existing : indexes.workers()) { // lock-free: the common case never waits on admin
            IndexDefinition d = existing.definition();
            if (d.isAuto() && d.collection().equalsIgnoreCase(collection) && covers(d, needed)
                    && !indexes.isPendingSuccessor(d.name())) { // a wider one still building waits its turn
                return existing;
            }
        }
        synchronized (indexes) { // create or widen: an admin change, serialised with the others
            IndexDefinition widest = null;
            IndexDefinition building = null;
            for (IndexDefinition existing : indexes.definitions()) {
                if (existing.isAuto() && existing.collection().equalsIgnoreCase(collection)) {
                    if (covers(existing, needed)) {
                        // A wider index still catching up answers only what no complete index covers.
                        if (!indexes.isPendingSuccessor(existing.name())) {
                            return indexes.require(existing.name());
                        }
                        building = existing;
                    }
                    if (widest == null || existing.fields().size() > widest.fields().size()) {
                        widest = existing;
                    }
                }
            }
            if (building != null) {
                return indexes.require(building.name());
            }
            IndexDefinition wanted = AutoIndexPlanner.definition(collection, needed, widest);
            indexes.put(List.of(wanted));
            if (widest != null && !widest.name().equalsIgnoreCase(wanted.name())) {
                // The narrower index keeps answering the queries it covers until the wider one has caught up.
                indexes.retireWhenCaughtUp(widest.name(), wanted.name());
            }
            return indexes.require(wanted.name());
        }
    }

    private static boolean covers(IndexDefinition index, Map<String, FieldType> needed) {
        for (var entry : needed.entrySet()) {
            IndexField field = index.fields().get(entry.getKey());
            if (field == null || entry.getValue() != null && field.type() != entry.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasSearch(RqlExpression e) {
        return switch (e) {
            case RqlExpression.Search s -> true;
            case RqlExpression.And a -> a.terms().stream().anyMatch(QueryExecutor::hasSearch);
            case RqlExpression.Or o -> o.terms().stream().anyMatch(QueryExecutor::hasSearch);
            case RqlExpression.Not n -> hasSearch(n.term());
            default -> false;
        };
    }

    private static int page(Optional<RqlValue> value, QueryParameters parameters, int absent, String what) {
        if (value.isEmpty()) {
            return absent;
        }
        Object v = parameters.resolve(value.get());
        if (!(v instanceof Long n) || n < 0) {
            throw new QueryException(what + " must be a whole number ≥ 0, got " + v);
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }
}
