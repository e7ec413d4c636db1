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
}
