package dev.blitdb.indexing.execution;

import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexDefinitionJson;
import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.indexing.query.QueryParameters;
import dev.blitdb.indexing.query.rql.RqlParser;
import dev.blitdb.indexing.worker.IndexingOptions;
import dev.blitdb.indexing.worker.ThreadSpawner;
import dev.blitdb.storage.documents.DocumentStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real document store and index manager in a temporary folder, and helpers to write and query. */
abstract class IndexingTestBase {

    @TempDir
    Path folder;

    DocumentStore store;
    IndexManager indexes;
    ThreadSpawner spawner;
    final BlitWriter writer = new BlitWriter();

    static final IndexingOptions SMALL_BATCHES = new IndexingOptions(64, Duration.ofMillis(50), 16, 64);

    @BeforeEach
    void openAll() throws Exception {
        spawner = new ThreadSpawner("test-spawner");
        open();
    }

    void open() throws Exception {
        store = DocumentStore.open(folder.resolve("db"));
        indexes = IndexManager.open("db", store, folder.resolve("db").resolve("indexes"), spawner, SMALL_BATCHES);
    }

    void closeStoreAndIndexes() throws Exception {
        indexes.close();
        store.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        closeStoreAndIndexes();
        spawner.close();
    }

    void put(String id, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        store.put(id, writer.convert(bytes, 0, bytes.length).toByteArray(), null).join();
    }

    void delete(String id) {
        store.delete(id, null).join();
    }

    void define(String json) throws Exception {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        List<IndexDefinition> defs = IndexDefinitionJson.parse(bytes, 0, bytes.length);
        indexes.put(defs);
    }

    record Answer(List<String> ids, QueryResult result) {
    }

    Answer query(String rql, Map<String, Object> parameters, boolean wait) throws Exception {
        List<String> ids = new ArrayList<>();
        QueryResult result = new QueryExecutor(indexes).execute(RqlParser.parse(rql), QueryParameters.of(parameters),
                new QueryExecutor.Options(wait, Duration.ofSeconds(30)), doc -> ids.add(doc.id()));
        return new Answer(ids, result);
    }

    List<String> ids(String rql) throws Exception {
        Answer a = query(rql, Map.of(), true);
        if (a.result().isStale()) {
            throw new AssertionError("query stayed stale: " + rql);
        }
        return a.ids();
    }

    static String user(String name, int age, String city, String... tags) {
        StringBuilder t = new StringBuilder();
        for (String tag : tags) {
            t.append(t.isEmpty() ? "" : ",").append('"').append(tag).append('"');
        }
        return "{\"Name\":\"" + name + "\",\"Age\":" + age + ",\"Address\":{\"City\":\"" + city + "\"},\"Tags\":[" + t
                + "],\"@metadata\":{\"@collection\":\"Users\"}}";
    }
}
