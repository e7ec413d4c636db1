package dev.blitdb.bench.indexing;

import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.indexing.definition.IndexDefinitionJson;
import dev.blitdb.indexing.execution.QueryExecutor;
import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.indexing.query.QueryParameters;
import dev.blitdb.indexing.query.rql.RqlParser;
import dev.blitdb.indexing.worker.IndexingOptions;
import dev.blitdb.indexing.worker.ThreadSpawner;
import dev.blitdb.storage.documents.DocumentCommand;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.StoredDocument;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The query path in one JVM, without HTTP: a wall-clock loop of point queries ({@code Name = $n limit 1}) and
 * filtered range queries ({@code City = $c and Age between … order by Age limit 25}) through
 * {@link QueryExecutor}, next to a GET by id from a read transaction, on {@code count} documents. Prints the mean
 * and percentiles per operation. Uses only APIs that older versions share, so the same source compiles against an
 * older jar for a before/after comparison; run it under JFR to see where a query's time goes.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.blitdb.bench.indexing.QueryLatency /tmp/q 100000 10
 * </pre>
 */
public final class QueryLatency {

    private QueryLatency() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Files.createTempDirectory(Path.of(args[0]), "qlat-");
        int count = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        BlitWriter writer = new BlitWriter();
        try (ThreadSpawner spawner = new ThreadSpawner("qlat-spawner");
             DocumentStore store = DocumentStore.open(folder.resolve("db"));
             IndexManager indexes = IndexManager.open("db", store, folder.resolve("indexes"), spawner,
                     IndexingOptions.defaults())) {
            List<DocumentCommand> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                byte[] json = BenchDocuments.json(i);
                batch.add(new DocumentCommand.Put(BenchDocuments.id(i), writer.convert(json, 0, json.length)
                        .toByteArray(), null));
                if (batch.size() == 1000) {
                    store.batch(batch).join();
                    batch = new ArrayList<>();
                }
            }
            if (!batch.isEmpty()) {
                store.batch(batch).join();
            }
            byte[] def = ("{\"Name\":\"Users/Q\",\"Collection\":\"Users\",\"Fields\":{\"Name\":{\"Path\":\"Name\","
                    + "\"Type\":\"Keyword\"},\"City\":{\"Path\":\"Address.City\",\"Type\":\"Keyword\"},"
                    + "\"Age\":{\"Path\":\"Age\",\"Type\":\"Long\"}},\"Priority\":\"High\"}")
                    .getBytes(StandardCharsets.UTF_8);
            indexes.put(IndexDefinitionJson.parse(def, 0, def.length));
            QueryExecutor executor = new QueryExecutor(indexes);
            var wait = new QueryExecutor.Options(true, Duration.ofMinutes(10));
            executor.execute(RqlParser.parse("from index 'Users/Q' limit 0"), QueryParameters.of(Map.of()), wait,
                    d -> { });
            var noWait = new QueryExecutor.Options(false, Duration.ofSeconds(1));
            String point = "from index 'Users/Q' where Name = $n limit 1";
            String range = "from index 'Users/Q' where City = $c and Age between $lo and $hi order by Age limit 25";
            long[] sink = new long[1];
            for (int round = 0; round < 2; round++) { // the first round warms up
                boolean report = round == 1;
                measure("get", seconds, report, i -> {
                    try (DocumentReader reader = store.beginRead()) {
                        StoredDocument d = new StoredDocument();
                        if (reader.get(BenchDocuments.id(i % count), d)) {
                            sink[0] += d.etag();
                        }
                    }
                });
                measure("point", seconds, report, i -> executor.execute(RqlParser.parse(point),
                        QueryParameters.of(Map.of("n", BenchDocuments.name(i % count))), noWait,
                        d -> sink[0] += d.etag()));
                measure("range", seconds, report, i -> {
                    int age = 18 + i % 60;
                    executor.execute(RqlParser.parse(range), QueryParameters.of(Map.of("c",
                            BenchDocuments.city(i % count), "lo", (long) age, "hi", (long) age + 5)), noWait,
                            d -> sink[0] += d.etag());
                });
            }
            System.out.println("(checksum " + sink[0] + ")");
        } finally {
            try (var files = Files.walk(folder)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private interface Op {
        void run(int i) throws Exception;
    }

    private static void measure(String name, int seconds, boolean report, Op op) throws Exception {
        long[] micros = new long[1 << 20];
        int n = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int i = 0;
        while (System.nanoTime() < end && n < micros.length) {
            long t0 = System.nanoTime();
            op.run(i++ * 7919);
            micros[n++] = (System.nanoTime() - t0) / 1000;
        }
        if (!report) {
            return;
        }
        long[] done = Arrays.copyOf(micros, n);
        Arrays.sort(done);
        double mean = Arrays.stream(done).average().orElse(0);
        System.out.printf(Locale.ROOT, "%-6s ops %8d  mean %8.1f us  p50 %6d us  p99 %7d us  (%.0f ops/s)%n", name,
                n, mean, done[n / 2], done[(int) (n * 0.99)], n / (double) seconds);
    }
}
