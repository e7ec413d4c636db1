package dev.blitdb.indexing.query;

import dev.blitdb.indexing.definition.IndexDefinitionJson;
import dev.blitdb.indexing.execution.QueryExecutor;
import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.indexing.query.QueryOracle.Doc;
import dev.blitdb.indexing.query.rql.RqlExpression;
import dev.blitdb.indexing.query.rql.RqlField;
import dev.blitdb.indexing.query.rql.RqlFormatter;
import dev.blitdb.indexing.query.rql.RqlParser;
import dev.blitdb.indexing.query.rql.RqlQuery;
import dev.blitdb.indexing.query.rql.RqlValue;
import dev.blitdb.indexing.worker.IndexingOptions;
import dev.blitdb.indexing.worker.ThreadSpawner;
import dev.blitdb.storage.documents.DocumentStore;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The oracle at full depth: documents written, rewritten and deleted through the real store, indexed by the
 * real worker thread (small batches, restarts in between), queried through {@link QueryExecutor} with
 * WaitForNonStaleResults — results, order and TotalResults must equal brute force over the live model.
 */
class StoreQueryOracleTest {

    @TempDir
    Path folder;

    @Test
    void shouldMatchTheOracleThroughTheStoreAcrossWritesDeletesAndRestarts() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        Map<String, Doc> model = new LinkedHashMap<>();
        var spawner = new ThreadSpawner("oracle-spawner");
        var options = new IndexingOptions(50, Duration.ofMillis(40), 10, 50);
        var writer = new dev.blitdb.blittable.BlitWriter();
        try {
            for (int session = 0; session < 3; session++) {
                try (DocumentStore store = DocumentStore.open(folder.resolve("db"));
                     IndexManager indexes = IndexManager.open("db", store, folder.resolve("db/indexes"), spawner,
                             options)) {
                    if (session == 0) {
                        byte[] def = IndexDefinitionJson.write(QueryOracleTest.INDEX);
                        indexes.put(IndexDefinitionJson.parse(def, 0, def.length));
                    }
                    for (int round = 0; round < 3; round++) {
                        mutate(random, store, writer, model);
                        for (int q = 0; q < 60; q++) {
                            check(random, indexes, model, "session " + session + " round " + round + " query " + q);
                        }
                    }
                    assertFalse(indexes.require(QueryOracleTest.INDEX.name()).lucene().startedOver());
                }
            }
        } finally {
            spawner.close();
        }
    }

    private static void mutate(SplittableRandom r, DocumentStore store, dev.blitdb.blittable.BlitWriter writer,
                               Map<String, Doc> model) {
        List<Doc> fresh = QueryOracleTest.randomDocs(r, 40 + r.nextInt(60));
        for (Doc doc : fresh) {
            // reuse ids so documents get rewritten, sometimes with other casing
            String id = (r.nextBoolean() ? "Things/" : "things/") + r.nextInt(150);
            Doc stored = new Doc(id, doc.values());
            byte[] json = QueryOracleTest.json(stored);
            store.put(id, writer.convert(json, 0, json.length).toByteArray(), null).join();
            model.remove(id.toLowerCase());
            model.put(id.toLowerCase(), stored);
        }
        List<String> keys = new ArrayList<>(model.keySet());
        for (int i = r.nextInt(Math.max(1, keys.size() / 5)); i > 0; i--) {
            String id = keys.get(r.nextInt(keys.size()));
            if (model.remove(id) != null) {
                store.delete(id, null).join();
            }
        }
    }

    private static void check(SplittableRandom r, IndexManager indexes, Map<String, Doc> model, String context)
            throws Exception {
        Map<String, Object> params = new HashMap<>();
        RqlExpression where = r.nextInt(8) == 0 ? null : QueryOracleTest.expression(r, params, 0);
        List<RqlQuery.OrderBy> order = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            String[] sortable = {"Name", "Age", "Score", "Tags", "Active"};
            order.add(new RqlQuery.OrderBy(new RqlField(sortable[r.nextInt(sortable.length)], 0), r.nextBoolean(),
                    RqlQuery.SortType.DEFAULT));
        }
        int offset = r.nextInt(4) == 0 ? r.nextInt(20) : 0;
        int limit = r.nextInt(3) == 0 ? 1 + r.nextInt(15) : 10_000;
        RqlQuery query = new RqlQuery(new RqlQuery.Index(QueryOracleTest.INDEX.name()), Optional.ofNullable(where),
                order, Optional.of(new RqlValue.Literal((long) limit)), Optional.of(new RqlValue.Literal((long) offset)),
                List.of());
        String text = RqlFormatter.format(query);
        QueryParameters parameters = QueryParameters.of(params);
        List<String> ids = new ArrayList<>();
        var result = new QueryExecutor(indexes).execute(RqlParser.parse(text), parameters,
                new QueryExecutor.Options(true, Duration.ofSeconds(30)), doc -> ids.add(doc.id()));
        String where_ = context + ": " + text + " " + params;
        assertFalse(result.isStale(), where_);

        List<String> expected = new QueryOracle(QueryOracleTest.INDEX, parameters, new StandardAnalyzer())
                .run(new ArrayList<>(model.values()), RqlParser.parse(text));
        assertEquals(expected.size(), result.totalResults(), where_);
        if (where != null && QueryOracleTest.containsSearch(where) && order.isEmpty()) {
            if (offset == 0 && limit >= expected.size()) {
                assertEquals(new TreeSet<>(expected), new TreeSet<>(ids), where_);
            }
            return;
        }
        assertEquals(expected.subList(Math.min(offset, expected.size()), Math.min(expected.size(), offset + limit)),
                ids, where_);
    }
}
