package dev.blitdb.indexing.query;

import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexDefinition.FieldSpec;
import dev.blitdb.indexing.lucene.IndexEntryBuilder;
import dev.blitdb.indexing.lucene.LuceneIndex;
import dev.blitdb.indexing.lucene.LuceneIndex.Progress;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One pass gives the page and the exact total, also past Lucene's default total-hits threshold (1,000), and hits
 * are named by their store keys in sort order across several segments.
 */
class IndexSearchTest {

    @TempDir
    Path tmp;

    @Test
    void shouldCountExactlyPastTheDefaultThresholdAndNameHitsInOrder() throws Exception {
        IndexDefinition def = IndexDefinition.of("Users/ByName", "Users",
                List.of(new FieldSpec("Name", "Name", "Keyword")), "Normal");
        try (var index = LuceneIndex.open(tmp.resolve("i"), def, new StandardAnalyzer())) {
            for (int i = 0; i < 3_000; i++) {
                var b = new IndexEntryBuilder(def).begin("Users/" + i);
                b.addString(def.fields().get("Name"), i % 3 == 0 ? "Ann" : "Bob");
                index.add(b.build());
                if (i % 700 == 0) {
                    index.commit(new Progress(i, 0)); // several segments
                }
            }
            index.commit(new Progress(3_000, 0));
            var searcher = index.acquire();
            try {
                var sort = QuerySortBuilder.build(def, List.of(), false); // by id
                IndexSearch.Page all = IndexSearch.search(searcher, new MatchAllDocsQuery(), sort, 10, 3);
                assertEquals(3_000, all.totalResults());
                List<String> byId = java.util.stream.IntStream.range(0, 3_000).mapToObj(i -> "users/" + i).sorted()
                        .toList(); // ids sort as strings: users/0, users/1, users/10, users/100, users/1000, …
                assertEquals(byId.subList(10, 13), all.keys());
                IndexSearch.Page ann = IndexSearch.search(searcher, KeywordField.newExactQuery("Name", "Ann"), sort,
                        0, 2);
                assertEquals(1_000, ann.totalResults());
                assertEquals(List.of("users/0", "users/1002"), ann.keys());
                IndexSearch.Page countOnly = IndexSearch.search(searcher, KeywordField.newExactQuery("Name", "Bob"),
                        sort, 0, 0);
                assertEquals(2_000, countOnly.totalResults());
                assertEquals(0, countOnly.size());
                IndexSearch.Page past = IndexSearch.search(searcher, new MatchAllDocsQuery(), sort, 5_000, 10);
                assertEquals(3_000, past.totalResults());
                assertEquals(0, past.size());
            } finally {
                index.release(searcher);
            }
        }
    }

    @Test
    void shouldAnswerAOneTermQueryFromItsPostingsAsTheCollectorDoes() throws Exception {
        IndexDefinition def = IndexDefinition.of("Users/ByName", "Users",
                List.of(new FieldSpec("Name", "Name", "Keyword")), "Normal");
        try (var index = LuceneIndex.open(tmp.resolve("t"), def, new StandardAnalyzer())) {
            for (int i = 0; i < 400; i++) { // names shared by 1, 7 and 80 entries, across several segments
                var b = new IndexEntryBuilder(def).begin("Users/" + (i * 37 % 400));
                b.addString(def.fields().get("Name"), i % 50 == 0 ? "Solo" + i : i % 5 == 0 ? "Few" : "Many");
                index.add(b.build());
                if (i % 90 == 0) {
                    index.commit(new Progress(i, 0));
                }
            }
            for (int i = 0; i < 400; i += 11) { // updates leave deleted older versions behind
                var b = new IndexEntryBuilder(def).begin("Users/" + i);
                b.addString(def.fields().get("Name"), "Few");
                index.update(IndexEntryBuilder.lowerId("Users/" + i), b.build());
            }
            index.delete("users/5");
            index.commit(new Progress(1_000, 0));
            var searcher = index.acquire();
            try {
                var sort = QuerySortBuilder.build(def, List.of(), false);
                for (String name : List.of("Solo0", "Solo50", "Few", "Many", "Nobody")) {
                    var term = KeywordField.newExactQuery("Name", name);
                    // The same condition wrapped in a Boolean query always goes through the collector.
                    var wrapped = new org.apache.lucene.search.BooleanQuery.Builder()
                            .add(term, org.apache.lucene.search.BooleanClause.Occur.FILTER).build();
                    for (int[] page : new int[][]{{0, 1}, {0, 1_000}, {3, 5}, {70, 20}, {500, 1}}) {
                        IndexSearch.Page direct = IndexSearch.search(searcher, term, sort, page[0], page[1]);
                        IndexSearch.Page collected = IndexSearch.search(searcher, wrapped, sort, page[0], page[1]);
                        String what = name + " offset " + page[0] + " limit " + page[1];
                        assertEquals(collected.totalResults(), direct.totalResults(), what);
                        assertEquals(collected.keys(), direct.keys(), what);
                    }
                }
            } finally {
                index.release(searcher);
            }
        }
    }
    /**
     * The one-term path keeps a thread's enums from query to query ({@code TermLookup}): answers stay those of the
     * collector in any order of terms (doc values that must go back are replaced), across fields, and after the
     * searcher changes (new segments, new deletes in an old segment, a merged index).
     */
    @Test
    void shouldReuseAThreadsEnumsAcrossQueriesFieldsAndSearchers() throws Exception {
        IndexDefinition def = IndexDefinition.of("Users/ByNameCity", "Users",
                List.of(new FieldSpec("Name", "Name", "Keyword"), new FieldSpec("City", "City", "Keyword")), "Normal");
        java.util.Random random = new java.util.Random(42);
        try (var index = LuceneIndex.open(tmp.resolve("r"), def, new StandardAnalyzer())) {
            int version = 0;
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < 150; i++) {
                    int id = random.nextInt(300);
                    var b = new IndexEntryBuilder(def).begin("Users/" + id);
                    b.addString(def.fields().get("Name"), "n" + random.nextInt(60));
                    b.addString(def.fields().get("City"), "c" + random.nextInt(8));
                    index.update(IndexEntryBuilder.lowerId("Users/" + id), b.build());
                    if (i % 40 == 0) {
                        index.refresh(new Progress(++version, 0)); // several segments per round
                    }
                }
                if (round == 2) {
                    index.delete("users/7");
                }
                index.commit(new Progress(++version, 0));
                var searcher = index.acquire();
                try {
                    var sort = QuerySortBuilder.build(def, List.of(), false);
                    for (int q = 0; q < 300; q++) {
                        String field = q % 3 == 0 ? "City" : "Name";
                        String value = field.equals("City") ? "c" + random.nextInt(9) : "n" + random.nextInt(61);
                        var term = KeywordField.newExactQuery(field, value);
                        var wrapped = new org.apache.lucene.search.BooleanQuery.Builder()
                                .add(term, org.apache.lucene.search.BooleanClause.Occur.FILTER).build();
                        int offset = random.nextInt(3);
                        int limit = 1 + random.nextInt(5);
                        IndexSearch.Page direct = IndexSearch.search(searcher, term, sort, offset, limit);
                        IndexSearch.Page collected = IndexSearch.search(searcher, wrapped, sort, offset, limit);
                        String what = "round " + round + " " + field + " = " + value;
                        assertEquals(collected.totalResults(), direct.totalResults(), what);
                        assertEquals(collected.keys(), direct.keys(), what);
                    }
                } finally {
                    index.release(searcher);
                }
            }
        }
    }
}
