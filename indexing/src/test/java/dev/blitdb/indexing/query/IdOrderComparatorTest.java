package dev.blitdb.indexing.query;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.SortedSetSelector;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ordinal-based id tie-breaker orders hits exactly as Lucene's own byte comparator does: across many segments
 * (where ordinals of different segments cannot be compared), with many ties on the earlier key, deleted entries,
 * entries without an id, every page size, and {@code searchAfter} (the top value).
 */
class IdOrderComparatorTest {

    private static final String ID = "id";

    @Test
    void shouldOrderLikeLucenesByteComparatorAcrossSegments() throws Exception {
        Random random = new Random(20261202);
        try (var dir = new ByteBuffersDirectory();
             var writer = new IndexWriter(dir, new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE))) {
            for (int i = 0; i < 3_000; i++) {
                Document d = new Document();
                if (random.nextInt(50) != 0) { // a few entries have no id: they sort first
                    // Random ids, so each segment's ordinals interleave with the others' in byte order.
                    d.add(new KeywordField(ID, "docs/" + Integer.toString(random.nextInt(1_000_000), 36) + "-" + i,
                            Field.Store.NO));
                }
                d.add(new NumericDocValuesField("age", random.nextInt(6))); // ~500 ties per age
                d.add(new KeywordField("city", "c" + random.nextInt(4), Field.Store.NO));
                writer.addDocument(d);
                if (random.nextInt(150) == 0) {
                    writer.flush(); // many segments, of uneven sizes
                }
            }
            writer.deleteDocuments(new Term("city", "c3")); // deleted entries in every segment
            writer.commit();
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                assertTrue(reader.leaves().size() > 10, "segments: " + reader.leaves().size());
                IndexSearcher searcher = new IndexSearcher(reader);
                SortField lucene = KeywordField.newSortField(ID, false, SortedSetSelector.Type.MIN);
                lucene.setMissingValue(SortField.STRING_FIRST);
                SortField ours = IdOrderComparator.sortField(ID);
                List<SortField[]> earlier = List.of(new SortField[0],
                        new SortField[]{new SortField("age", SortField.Type.LONG)},
                        new SortField[]{new SortField("age", SortField.Type.LONG, true)});
                for (Query query : List.of(new MatchAllDocsQuery(), new TermQuery(new Term("city", "c1")))) {
                    for (SortField[] first : earlier) {
                        Sort expected = sort(first, lucene);
                        Sort actual = sort(first, ours);
                        for (int hits : new int[]{1, 2, 7, 25, 100, 1_000, 5_000}) {
                            String what = query + " " + actual + " top " + hits;
                            TopFieldDocs want = searcher.search(query, new TopFieldCollectorManager(expected, hits,
                                    null, Integer.MAX_VALUE));
                            TopFieldDocs got = searcher.search(query, new TopFieldCollectorManager(actual, hits,
                                    null, Integer.MAX_VALUE));
                            assertEquals(want.totalHits, got.totalHits, what);
                            assertEquals(docs(want.scoreDocs), docs(got.scoreDocs), what);
                            assertEquals(ids(want.scoreDocs), ids(got.scoreDocs), what + " (values)");
                            if (want.scoreDocs.length > 3) { // searchAfter compares with the top value
                                FieldDoc after = (FieldDoc) want.scoreDocs[want.scoreDocs.length / 2];
                                FieldDoc afterOurs = (FieldDoc) got.scoreDocs[got.scoreDocs.length / 2];
                                TopFieldDocs wantNext = searcher.search(query, new TopFieldCollectorManager(expected,
                                        10, after, Integer.MAX_VALUE));
                                TopFieldDocs gotNext = searcher.search(query, new TopFieldCollectorManager(actual,
                                        10, afterOurs, Integer.MAX_VALUE));
                                assertEquals(docs(wantNext.scoreDocs), docs(gotNext.scoreDocs), what + " after");
                            }
                        }
                    }
                }
            }
        }
    }

    private static Sort sort(SortField[] first, SortField id) {
        SortField[] all = java.util.Arrays.copyOf(first, first.length + 1);
        all[first.length] = id;
        return new Sort(all);
    }

    private static List<Integer> docs(ScoreDoc[] hits) {
        List<Integer> out = new ArrayList<>();
        for (ScoreDoc h : hits) {
            out.add(h.doc);
        }
        return out;
    }

    private static List<String> ids(ScoreDoc[] hits) {
        List<String> out = new ArrayList<>();
        for (ScoreDoc h : hits) {
            Object v = ((FieldDoc) h).fields[((FieldDoc) h).fields.length - 1];
            out.add(v == null ? null : ((BytesRef) v).utf8ToString());
        }
        return out;
    }
}
