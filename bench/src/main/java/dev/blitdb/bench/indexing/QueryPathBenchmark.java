package dev.blitdb.bench.indexing;

import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitJsonWriter;
import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.blittable.JsonSink;
import dev.blitdb.indexing.definition.IndexDefinitionJson;
import dev.blitdb.indexing.execution.QueryExecutor;
import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.indexing.query.QueryParameters;
import dev.blitdb.indexing.query.rql.RqlParser;
import dev.blitdb.indexing.query.rql.RqlQuery;
import dev.blitdb.indexing.worker.IndexingOptions;
import dev.blitdb.indexing.worker.ThreadSpawner;
import dev.blitdb.storage.documents.DocumentCommand;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.StoredDocument;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The query path as the server's IO thread runs it, without HTTP: {@link QueryExecutor} with
 * {@link QueryExecutor.Options#nonBlocking()}, every hit rendered by the blittable JSON writer into a sink that
 * only counts bytes. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} (B/op) is Lucene's per-query objects
 * (terms and postings enums, doc-values readers, the collector) and the page of keys, and it does not change when
 * every document is 16 KiB larger ({@code padKiB}): no document is copied onto the heap.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar QueryPathBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class QueryPathBenchmark {

    private static final int DOCUMENTS = 20_000;

    /** Extra KiB of JSON per document: the allocation per query must not grow with it (no document copies). */
    @Param({"0", "16"})
    public int padKiB;

    private Path folder;
    private ThreadSpawner spawner;
    private DocumentStore store;
    private IndexManager indexes;
    private QueryExecutor executor;
    private RqlQuery point;
    private RqlQuery range;
    private QueryParameters[] points;
    private QueryParameters[] ranges;
    private int next;
    private final BlitJsonWriter json = new BlitJsonWriter(8 * 1024);
    private final BlitDocument document = new BlitDocument();
    private long bytes;
    private final JsonSink sink = (b, offset, length) -> bytes += length;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        folder = Files.createTempDirectory("qpath-");
        spawner = new ThreadSpawner("qpath-spawner");
        store = DocumentStore.open(folder.resolve("db"));
        indexes = IndexManager.open("db", store, folder.resolve("indexes"), spawner, IndexingOptions.defaults());
        BlitWriter writer = new BlitWriter();
        List<DocumentCommand> batch = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            byte[] doc = padded(BenchDocuments.json(i));
            batch.add(new DocumentCommand.Put(BenchDocuments.id(i), writer.convert(doc, 0, doc.length).toByteArray(),
                    null));
            if (batch.size() == 1000) {
                store.batch(batch).join();
                batch = new ArrayList<>();
            }
        }
        byte[] def = ("{\"Name\":\"Users/Q\",\"Collection\":\"Users\",\"Fields\":{\"Name\":{\"Path\":\"Name\","
                + "\"Type\":\"Keyword\"},\"City\":{\"Path\":\"Address.City\",\"Type\":\"Keyword\"},"
                + "\"Age\":{\"Path\":\"Age\",\"Type\":\"Long\"}},\"Priority\":\"High\"}").getBytes(StandardCharsets.UTF_8);
        indexes.put(IndexDefinitionJson.parse(def, 0, def.length));
        executor = new QueryExecutor(indexes);
        executor.execute(RqlParser.parse("from index 'Users/Q' limit 0"), QueryParameters.of(Map.of()),
                new QueryExecutor.Options(true, Duration.ofMinutes(5)), d -> { });
        point = RqlParser.parse("from index 'Users/Q' where Name = $n limit 1"); // parsed once: the server caches
        range = RqlParser.parse("from index 'Users/Q' where City = $c and Age between $lo and $hi order by Age "
                + "limit 25");
        points = new QueryParameters[1024];
        ranges = new QueryParameters[1024];
        for (int i = 0; i < points.length; i++) {
            int doc = i * 7919 % DOCUMENTS;
            int age = 18 + i % 60;
            points[i] = QueryParameters.of(Map.of("n", BenchDocuments.name(doc)));
            ranges[i] = QueryParameters.of(Map.of("c", BenchDocuments.city(doc), "lo", (long) age, "hi",
                    (long) age + 5));
        }
    }

    private byte[] padded(byte[] json) {
        if (padKiB == 0) {
            return json;
        }
        String text = new String(json, StandardCharsets.UTF_8);
        // Words, so the blittable writer's string compression does not shrink the padding away.
        StringBuilder pad = new StringBuilder(padKiB * 1024);
        for (int w = 0; pad.length() < padKiB * 1024; w++) {
            pad.append(Integer.toHexString(w * 0x9E3779B1)).append(' ');
        }
        return ("{\"Pad\":\"" + pad + "\"," + text.substring(1)).getBytes(StandardCharsets.UTF_8);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        indexes.close();
        store.close();
        spawner.close();
        try (var files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void render(StoredDocument stored) throws IOException {
        json.write(stored.document(document), true, sink);
    }

    @Benchmark
    public long pointQuery() throws Exception {
        bytes = 0;
        executor.execute(point, points[next++ & 1023], QueryExecutor.Options.nonBlocking(), this::render);
        return bytes;
    }

    @Benchmark
    public long rangeQuery() throws Exception {
        bytes = 0;
        executor.execute(range, ranges[next++ & 1023], QueryExecutor.Options.nonBlocking(), this::render);
        return bytes;
    }
}
