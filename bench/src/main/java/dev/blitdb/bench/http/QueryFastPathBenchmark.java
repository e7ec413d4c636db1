package dev.blitdb.bench.http;

import dev.blitdb.bench.indexing.BenchDocuments;
import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitJsonWriter;
import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.blittable.JsonSink;
import dev.blitdb.indexing.definition.IndexDefinitionJson;
import dev.blitdb.indexing.execution.QueryExecutor;
import dev.blitdb.indexing.execution.ResultVisitor;
import dev.blitdb.indexing.query.QueryParameters;
import dev.blitdb.indexing.query.rql.RqlCache;
import dev.blitdb.indexing.worker.IndexingOptions;
import dev.blitdb.indexing.worker.ThreadSpawner;
import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseName;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.queries.ResidentQuery;
import dev.blitdb.server.indexes.IndexService;
import dev.blitdb.storage.documents.DocumentCommand;
import dev.blitdb.storage.documents.StoredDocument;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
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
 * What the server's IO thread runs for an inline query ({@code GET /databases/{db}/queries?query=...}) without
 * Undertow's request parsing: {@link ResidentQuery} — database lease, cached RQL, the non-blocking executor run,
 * each hit rendered by the blittable JSON writer into the direct buffers of a response from the thread's free
 * list, the answer's envelope — against {@code executorOnly}, the same query through the executor alone with each
 * hit rendered into a counting sink (what {@code QueryPathBenchmark} measures). Run with {@code -prof gc}: the
 * difference of their {@code gc.alloc.rate.norm} is what the server's own code allocates per query (~0 B).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar QueryFastPathBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QueryFastPathBenchmark {

    private static final int DOCUMENTS = 2_000;
    private static final int QUERIES = 256;
    private static final QueryParameters NO_PARAMETERS = QueryParameters.of(Map.of());

    private Path dir;
    private DatabaseRegistry registry;
    private ThreadSpawner spawner;
    private final RqlCache parsed = new RqlCache(RqlCache.DEFAULT_CAPACITY);
    private QueryExecutor executor;
    private String[] points;
    private int next;
    private final BlitJsonWriter json = new BlitJsonWriter(8 * 1024);
    private final BlitDocument document = new BlitDocument();
    private long bytes;
    private final JsonSink counting = (b, offset, length) -> bytes += length;
    private final ResultVisitor renderer = this::render;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("blitdb-query-fast-path");
        spawner = new ThreadSpawner("bench-index-spawner");
        registry = DatabaseRegistry.create(dir.resolve("data"), StoreOptions.defaults(), MergerOptions.defaults(),
                List.of(IndexService.factory(spawner, IndexingOptions.defaults())));
        registry.startLoading();
        registry.awaitLoaded();
        registry.create(new DatabaseName("bench"));
        try (DatabaseLease lease = registry.acquire("bench")) {
            BlitWriter writer = new BlitWriter();
            List<DocumentCommand> batch = new ArrayList<>();
            for (int i = 0; i < DOCUMENTS; i++) {
                byte[] doc = BenchDocuments.json(i);
                batch.add(new DocumentCommand.Put(BenchDocuments.id(i),
                        writer.convert(doc, 0, doc.length).toByteArray(), null));
            }
            lease.store().batch(batch).join();
            byte[] def = ("{\"Name\":\"Users/Q\",\"Collection\":\"Users\",\"Fields\":{\"Name\":{\"Path\":\"Name\","
                    + "\"Type\":\"Keyword\"}}}").getBytes(StandardCharsets.UTF_8);
            IndexService service = IndexService.of(lease.database());
            service.indexes().put(IndexDefinitionJson.parse(def, 0, def.length));
            executor = service.queries();
            executor.execute(parsed.parse("from index 'Users/Q' limit 0"), QueryParameters.of(Map.of()),
                    new QueryExecutor.Options(true, Duration.ofMinutes(5)), d -> { }); // built before measuring
        }
        // A point query by index as a user types it (?query=...): a literal, no parameters; texts cached as parsed.
        points = new String[QUERIES];
        for (int i = 0; i < QUERIES; i++) {
            points[i] = "from index 'Users/Q' where Name = '" + BenchDocuments.name(i * 7 % DOCUMENTS) + "' limit 1";
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        registry.close();
        spawner.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public long inlineQuery() throws Exception {
        String rql = points[next++ & (QUERIES - 1)];
        long length = ResidentQuery.forThisThread().renderAndRelease(registry, parsed, "bench", rql,
                ResidentQuery.parameters(Map.of()), 16 * 1024);
        if (length <= 0) {
            throw new IllegalStateException(rql + " was not answered inline");
        }
        return length;
    }

    @Benchmark
    public long executorOnly() throws Exception {
        String rql = points[next++ & (QUERIES - 1)];
        bytes = 0;
        try (DatabaseLease lease = registry.acquire("bench")) {
            executor.execute(parsed.parse(rql), NO_PARAMETERS,
                    QueryExecutor.Options.nonBlocking(), renderer);
        }
        return bytes;
    }

    private void render(StoredDocument stored) throws IOException {
        json.write(stored.document(document), true, counting);
    }
}
