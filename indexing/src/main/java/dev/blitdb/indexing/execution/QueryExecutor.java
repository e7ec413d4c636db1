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

    private static final int MAX_CACHED_SORTS = 1024;

    private final IndexManager indexes;
    private final java.util.concurrent.ConcurrentHashMap<SortKey, org.apache.lucene.search.Sort> sorts =
            new java.util.concurrent.ConcurrentHashMap<>();

    public QueryExecutor(IndexManager indexes) {
        this.indexes = indexes;
    }

    /**
     * Matches an {@linkplain Options#nonBlocking() inline} query may count (its exact {@code TotalResults}) before it
     * gives up with {@link WouldBlockException}: bounds the work it does on a thread that serves other clients too.
     */
    public static final int INLINE_MAX_COUNTED = 20_000;
    /** Hits an inline query collects at most ({@code offset + limit}, capped by its matches): a small page. */
    public static final int INLINE_MAX_PAGE = 256;

    /**
     * How to run a query. {@code waitForNonStale} with {@code timeout}: see {@link #execute}. {@code inline}: the
     * caller must not block (see {@link WouldBlockException}).
     */
    public record Options(boolean waitForNonStale, Duration timeout, boolean inline) {
        public static final Options DEFAULT = new Options(false, Duration.ofSeconds(15));
        private static final Options NON_BLOCKING = new Options(false, Duration.ZERO, true);

        public Options(boolean waitForNonStale, Duration timeout) {
            this(waitForNonStale, timeout, false);
        }

        /** For a thread that must not block: no waiting, no index creation, bounded counting. */
        public static Options nonBlocking() {
            return NON_BLOCKING;
        }
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

        boolean inline = options.inline();
        if (inline && options.waitForNonStale()) {
            throw WouldBlockException.INSTANCE;
        }
        if (query.source() instanceof RqlQuery.Collection c && query.where().isEmpty() && query.orderBy().isEmpty()) {
            return walkCollection(c.name(), offset, limit, inline, visitor, started);
        }
        IndexWorker worker = switch (query.source()) {
            case RqlQuery.Index i -> indexes.require(i.name());
            case RqlQuery.Collection c -> autoIndex(c.name(), query, parameters, inline);
        };
        IndexDefinition definition = worker.definition();
        Query lucene = query.where()
                .map(where -> new LuceneQueryBuilder(definition, parameters, indexes.analyzer()).build(where))
                .orElseGet(MatchAllDocsQuery::new);
        boolean relevance = query.where().map(QueryExecutor::hasSearch).orElse(false);
        var sort = sort(definition, query.orderBy(), relevance);

        if (options.waitForNonStale()) {
            long asOfEtag;
            try (DocumentReader reader = indexes.store().beginRead()) {
                asOfEtag = reader.lastEtag();
                if (!worker.isStale(reader, asOfEtag)) {
                    return answer(worker, reader, asOfEtag, lucene, sort, offset, limit, Integer.MAX_VALUE, visitor,
                            started);
                }
            }
            boolean caughtUp = worker.awaitNonStale(asOfEtag, options.timeout().toNanos());
            try (DocumentReader reader = indexes.store().beginRead()) {
                QueryResult r = answer(worker, reader, caughtUp ? Long.MIN_VALUE : asOfEtag, lucene, sort, offset,
                        limit, Integer.MAX_VALUE, visitor, started);
                return caughtUp ? r : r.markedStale();
            }
        }
        try (DocumentReader reader = indexes.store().beginRead()) {
            return answer(worker, reader, reader.lastEtag(), lucene, sort, offset, limit,
                    inline ? INLINE_MAX_COUNTED : Integer.MAX_VALUE, visitor, started);
        }
    }

    /**
     * Searches once and hands over the hits' documents, all from {@code reader}'s snapshot (one read transaction
     * per query). The index's position is read before its searcher is taken, so the staleness verdict errs only
     * towards stale. The searcher may show writes newer than the snapshot: a hit the snapshot does not hold is
     * skipped and counted, and the answer is marked stale.
     *
     * @param asOfEtag   staleness is judged as of this etag; {@link Long#MIN_VALUE} when known not stale
     * @param maxCounted more matches than this throw {@link WouldBlockException} ({@link Integer#MAX_VALUE}: any)
     */
    private QueryResult answer(IndexWorker worker, DocumentReader reader, long asOfEtag, Query lucene,
                               org.apache.lucene.search.Sort sort, int offset, int limit, int maxCounted,
                               ResultVisitor visitor, long started) throws IOException {
        IndexWorker.View view = worker.view();
        boolean stale = asOfEtag != Long.MIN_VALUE && worker.isStale(reader, asOfEtag, view);
        IndexSearch.Page page;
        IndexSearcher searcher = view.lucene().acquire();
        try {
            page = IndexSearch.search(searcher, lucene, sort, offset, limit, maxCounted,
                    maxCounted == Integer.MAX_VALUE ? Integer.MAX_VALUE : INLINE_MAX_PAGE);
            if (page == null) {
                throw WouldBlockException.INSTANCE;
            }
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

    private QueryResult walkCollection(String collection, int offset, int limit, boolean inline,
                                       ResultVisitor visitor, long started) throws IOException {
        try (DocumentReader reader = indexes.store().beginRead()) {
            long total = reader.collectionCount(collection);
            if (inline && Math.min((long) offset + limit, total) > INLINE_MAX_PAGE) {
                throw WouldBlockException.INSTANCE; // a long walk is a worker's job
            }
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
    private IndexWorker autoIndex(String collection, RqlQuery query, QueryParameters parameters, boolean inline)
            throws IOException {
        Map<String, FieldType> needed = AutoIndexPlanner.requiredFields(query, parameters);
        for (IndexWorker existing : indexes.workers()) { // lock-free: the common case never waits on admin
            IndexDefinition d = existing.definition();
            if (d.isAuto() && d.collection().equalsIgnoreCase(collection) && covers(d, needed)
                    && !indexes.isPendingSuccessor(d.name())) { // a wider one still building waits its turn
                return existing;
            }
        }
        if (inline) {
            throw WouldBlockException.INSTANCE; // creating or widening takes the admin lock and may wait
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

    /** The Lucene sort of an {@code order by} on an index, built once per shape (sorts are immutable, shared). */
    private org.apache.lucene.search.Sort sort(IndexDefinition definition, List<RqlQuery.OrderBy> orderBy,
                                               boolean relevance) {
        SortKey key = new SortKey(definition, orderBy, relevance);
        org.apache.lucene.search.Sort sort = sorts.get(key);
        if (sort == null) {
            sort = QuerySortBuilder.build(definition, orderBy, relevance); // throws on a bad order by: not cached
            if (sorts.size() >= MAX_CACHED_SORTS) {
                sorts.clear(); // many shapes (or replaced definitions): start over rather than grow
            }
            sorts.put(key, sort);
        }
        return sort;
    }

    /** A sort's cache key: the definition by identity (a changed index is a new definition object). */
    private record SortKey(IndexDefinition definition, List<RqlQuery.OrderBy> orderBy, boolean relevance) {
        @Override
        public boolean equals(Object o) {
            return o instanceof SortKey k && k.definition == definition && k.relevance == relevance
                    && k.orderBy.equals(orderBy);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(definition) * 31 + orderBy.hashCode() + (relevance ? 1 : 0);
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
