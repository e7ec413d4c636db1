package dev.blitdb.indexing.query;

import dev.blitdb.indexing.lucene.InternalFields;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.Bits;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a query on a searcher in one pass and returns one page of hits, in order, with the exact total. The
 * collector counts every match (its total-hits threshold is unbounded, so the count is exact without a second
 * {@code count()} pass), and each hit's id comes from the id field's doc values — the lowercased id, which is the
 * store's lookup key — not from a stored document.
 */
public final class IndexSearch {

    /**
     * One page of hits: the store keys (lowercased ids, UTF-8) of the hits in order, and how many documents
     * matched in all.
     */
    public record Page(byte[] keyBytes, int[] keyEnds, int size, long totalResults) {

        /** The store key of hit {@code i} (0-based within the page), a view of {@link #keyBytes}. */
        public MemorySegment key(int i) {
            int start = i == 0 ? 0 : keyEnds[i - 1];
            return MemorySegment.ofArray(keyBytes).asSlice(start, keyEnds[i] - start);
        }

        /** The keys as strings (tests, diagnostics). */
        public List<String> keys() {
            String[] out = new String[size];
            for (int i = 0; i < size; i++) {
                int start = i == 0 ? 0 : keyEnds[i - 1];
                out[i] = new String(keyBytes, start, keyEnds[i] - start, java.nio.charset.StandardCharsets.UTF_8);
            }
            return List.of(out);
        }
    }

    /** Postings of a one-term, id-ordered query answered without a collector (see {@link #termPage}). */
    static final int DIRECT_MAX = 64;
    private static final byte[] NO_BYTES = new byte[0];
    private static final int[] NO_ENDS = new int[0];

    private IndexSearch() {
    }

    /**
     * @param offset matches to skip
     * @param limit  matches to return at most
     */
    public static Page search(IndexSearcher searcher, Query query, Sort sort, int offset, int limit)
            throws IOException {
        return search(searcher, query, sort, offset, limit, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /**
     * As {@link #search(IndexSearcher, Query, Sort, int, int)}, but bounded for a thread that serves other clients
     * too: gives up — returns {@code null} — when more than {@code maxCounted} matches would have to be counted for
     * the exact total, or when the page ({@code offset + limit}, capped by the matches) needs more than
     * {@code maxWanted} hits collected. {@link Integer#MAX_VALUE} for both is the unbounded search.
     */
    public static Page search(IndexSearcher searcher, Query query, Sort sort, int offset, int limit, int maxCounted,
                              int maxWanted) throws IOException {
        int maxDoc = searcher.getIndexReader().maxDoc();
        int wanted = (int) Math.min((long) offset + limit, maxDoc);
        boolean bounded = maxCounted != Integer.MAX_VALUE;
        if (limit <= 0 || wanted <= offset) {
            if (bounded && maxDoc > maxCounted) {
                return null;
            }
            return new Page(NO_BYTES, NO_ENDS, 0, searcher.count(query)); // nothing to return: count only
        }
        Term term = idOrderedTerm(query, sort);
        if (term != null) {
            Page direct = termPage(searcher, term, offset, limit);
            if (direct != null) {
                return direct;
            }
        }
        int collected = Math.min(wanted, maxWanted);
        TopFieldDocs top = searcher.search(query, new TopFieldCollectorManager(sort, collected, null, maxCounted));
        if (bounded && (top.totalHits.relation() != TotalHits.Relation.EQUAL_TO
                || collected < wanted && top.totalHits.value() > collected)) {
            return null; // too many matches to count, or the page needs more hits than were collected
        }
        if (top.totalHits.relation() != TotalHits.Relation.EQUAL_TO) {
            throw new IllegalStateException("Lucene returned a lower bound of the hit count: " + top.totalHits);
        }
        Page page = fromSortValues(top.scoreDocs, offset, top.totalHits.value());
        return page != null ? page : page(searcher, top.scoreDocs, offset, top.totalHits.value());
    }

    /**
     * The term of a query that is exactly one term ({@code Field = value} on a Keyword or Boolean field, as
     * {@code LuceneQueryBuilder} builds it) when the order is by id alone (no {@code order by}, no relevance);
     * else null.
     */
    private static Term idOrderedTerm(Query query, Sort sort) {
        SortField[] fields = sort.getSort();
        if (fields.length != 1 || !InternalFields.ID.equals(fields[0].getField()) || fields[0].getReverse()) {
            return null;
        }
        if (query instanceof ConstantScoreQuery constant) {
            query = constant.getQuery();
        }
        return query instanceof TermQuery t ? t.getTerm() : null;
    }

    /**
     * A one-term query ordered by id, answered from the term's postings without a weight, scorer or collector:
     * the point query's shape ({@code Name = $n limit 1}). Gives up (null) when the term has more than
     * {@link #DIRECT_MAX} postings; the collector is then cheaper than sorting all of their ids.
     */
    private static Page termPage(IndexSearcher searcher, Term term, int offset, int limit) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        TermLookup lookup = TermLookup.forThread(searcher.getIndexReader(), term.field());
        int candidates = 0;
        int n = 0;
        int used = 0;
        for (int leaf = 0; leaf < leaves.size(); leaf++) {
            TermsEnum te = lookup.seek(leaf, term.bytes());
            if (te == null) {
                continue;
            }
            candidates += te.docFreq();
            if (candidates > DIRECT_MAX) {
                return null;
            }
            lookup.ensure(candidates, 0);
            PostingsEnum postings = lookup.postings(leaf, te);
            Bits live = leaves.get(leaf).reader().getLiveDocs();
            for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                if (live != null && !live.get(doc)) {
                    continue; // an older version, replaced or deleted
                }
                BytesRef id = lookup.id(leaf, doc);
                lookup.ensure(candidates, used + id.length);
                System.arraycopy(id.bytes, id.offset, lookup.bytes, used, id.length);
                lookup.starts[n] = used;
                lookup.lengths[n] = id.length;
                used += id.length;
                n++;
            }
        }
        // By id ascending (unsigned bytes, as the id sort compares): an insertion sort of n <= DIRECT_MAX.
        byte[] all = lookup.bytes;
        int[] starts = lookup.starts;
        int[] lengths = lookup.lengths;
        int[] order = lookup.order;
        for (int i = 0; i < n; i++) {
            int k = i;
            int j = i - 1;
            while (j >= 0 && Arrays.compareUnsigned(all, starts[order[j]], starts[order[j]] + lengths[order[j]],
                    all, starts[k], starts[k] + lengths[k]) > 0) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = k;
        }
        int from = Math.min(offset, n);
        int to = (int) Math.min((long) offset + limit, n);
        int size = to - from;
        int total = 0;
        for (int i = from; i < to; i++) {
            total += lengths[order[i]];
        }
        byte[] keys = size == 0 ? NO_BYTES : new byte[total];
        int[] ends = size == 0 ? NO_ENDS : new int[size];
        int at = 0;
        for (int i = from; i < to; i++) {
            int k = order[i];
            System.arraycopy(all, starts[k], keys, at, lengths[k]);
            at += lengths[k];
            ends[i - from] = at;
        }
        return new Page(keys, ends, size, n);
    }

    /**
     * The page from the hits' own sort values: every sort ends with the id (see {@code QuerySortBuilder}), and the
     * collector hands each hit's id bytes back in its {@link FieldDoc}, so they need not be read from doc values
     * a second time. Falls back to doc values when a hit carries no id value.
     */
    private static Page fromSortValues(ScoreDoc[] hits, int offset, long total) {
        int n = Math.max(0, hits.length - offset);
        int used = 0;
        for (int i = 0; i < n; i++) {
            if (!(hits[offset + i] instanceof FieldDoc fd) || !(fd.fields[fd.fields.length - 1] instanceof BytesRef id)) {
                return null;
            }
            used += id.length;
        }
        byte[] keys = new byte[used];
        int[] ends = new int[n];
        int at = 0;
        for (int i = 0; i < n; i++) {
            FieldDoc fd = (FieldDoc) hits[offset + i];
            BytesRef id = (BytesRef) fd.fields[fd.fields.length - 1];
            System.arraycopy(id.bytes, id.offset, keys, at, id.length);
            at += id.length;
            ends[i] = at;
        }
        return new Page(keys, ends, n, total);
    }

    /** Reads the ids of hits {@code offset..} from doc values, in document order (the iterators only go forward). */
    private static Page page(IndexSearcher searcher, ScoreDoc[] hits, int offset, long total) throws IOException {
        int n = Math.max(0, hits.length - offset);
        long[] byDoc = new long[n]; // (doc << 32 | rank): sorted, it visits each leaf's doc values once, forward
        for (int i = 0; i < n; i++) {
            byDoc[i] = (long) hits[offset + i].doc << 32 | i;
        }
        Arrays.sort(byDoc);
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        int[] starts = new int[n];
        int[] lengths = new int[n];
        byte[] bytes = new byte[Math.max(16, n * 24)];
        int used = 0;
        int leafIndex = -1;
        LeafReaderContext leaf = null;
        SortedSetDocValues ids = null;
        for (long packed : byDoc) {
            int doc = (int) (packed >>> 32);
            int rank = (int) packed;
            if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc()) {
                leafIndex = ReaderUtil.subIndex(doc, leaves);
                leaf = leaves.get(leafIndex);
                ids = DocValues.getSortedSet(leaf.reader(), InternalFields.ID);
            }
            if (!ids.advanceExact(doc - leaf.docBase)) {
                throw new IllegalStateException("index entry " + doc + " has no " + InternalFields.ID);
            }
            BytesRef id = ids.lookupOrd(ids.nextOrd());
            if (used + id.length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + id.length));
            }
            System.arraycopy(id.bytes, id.offset, bytes, used, id.length);
            starts[rank] = used;
            lengths[rank] = id.length;
            used += id.length;
        }
        // Lay the keys out in rank order so a page is one array and an end offset per hit.
        byte[] ordered = new byte[used];
        int[] ends = new int[n];
        int at = 0;
        for (int i = 0; i < n; i++) {
            System.arraycopy(bytes, starts[i], ordered, at, lengths[i]);
            at += lengths[i];
            ends[i] = at;
        }
        return new Page(ordered, ends, n, total);
    }
}
