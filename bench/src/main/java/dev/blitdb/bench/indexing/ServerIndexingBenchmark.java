package dev.blitdb.bench.indexing;

import dev.blitdb.bench.http.LoadGenerator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Indexing inside a running server, measured from outside: a real server JVM ({@code server/target/blitdb-server.jar})
 * over the benchmark database that {@link IndexingBenchmark} {@code load} wrote, a closed-loop GET load from this
 * JVM, and the index routes.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.blitdb.bench.indexing.ServerIndexingBenchmark priority /tmp/blitbench 3
 * java -cp bench/target/benchmarks.jar dev.blitdb.bench.indexing.ServerIndexingBenchmark queries  /tmp/blitbench
 * </pre>
 * {@code priority}: GET p99 with no indexing vs while a 1M-document index rebuilds at Low; index throughput at
 * High vs Low under the same GET load. {@code queries}: p50/p99 of a term, a range and a full-text query.
 */
public final class ServerIndexingBenchmark {

    private static final int PORT = 18_080;
    private static final String BASE = "http://127.0.0.1:" + PORT;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ServerIndexingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[1]);
        Process server = startServer(folder);
        try {
            switch (args[0]) {
                case "priority" -> priority(args.length > 2 ? Integer.parseInt(args[2]) : 3);
                case "queries" -> queries();
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static Process startServer(Path folder) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Xmx1g", "-jar", "server/target/blitdb-server.jar",
                "--port", Integer.toString(PORT), "--data-dir", folder.toString())
                .redirectErrorStream(true).redirectOutput(folder.resolve("server.log").toFile()).start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (send("GET", "/databases/bench/stats", null).statusCode() == 200) {
                    return p;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        throw new IllegalStateException("server did not start; see " + folder.resolve("server.log"));
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(BASE + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static LoadGenerator.Result getLoad(int seconds) throws Exception {
        var scenario = LoadGenerator.parseScenario("get:/databases/bench/docs?id=users/4242", "127.0.0.1:" + PORT);
        return LoadGenerator.run(new InetSocketAddress("127.0.0.1", PORT), scenario, 32, Duration.ofSeconds(2),
                Duration.ofSeconds(seconds));
    }

    private static long indexed(String name) throws Exception {
        String stats = send("GET", "/databases/bench/indexes/stats?name=" + name, null).body();
        Matcher m = Pattern.compile("\"DocumentsIndexed\":(\\d+)").matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String nice(String name) throws Exception {
        String stats = send("GET", "/databases/bench/indexes/stats?name=" + name, null).body();
        Matcher m = Pattern.compile("\"EffectiveNice\":(-?\\d+|null)").matcher(stats);
        return m.find() ? m.group(1) : "?";
    }

    private static String definition(String name, String priority) {
        return BenchDocuments.INDEX_JSON.replace("Users/Bench", name).replace("\"Normal\"", "\"" + priority + "\"");
    }

    /** Starts a rebuild at {@code priority}, measures GET latency and index progress over one window. */
    private static double[] underLoad(String name, String priority, int seconds) throws Exception {
        send("DELETE", "/databases/bench/indexes?name=" + name, null);
        var put = send("PUT", "/databases/bench/admin/indexes", definition(name, priority));
        if (put.statusCode() / 100 != 2) {
            throw new IllegalStateException(put.body());
        }
        long before = indexed(name);
        long t0 = System.nanoTime();
        LoadGenerator.Result load = getLoad(seconds);
        long after = indexed(name);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        String niceValue = nice(name);
        send("DELETE", "/databases/bench/indexes?name=" + name, null);
        System.out.printf(Locale.ROOT, "  %s (nice %s): %s | indexed %d docs in %.1f s = %.0f docs/s%n", priority,
                niceValue, load.summary(), after - before, elapsed, (after - before) / elapsed);
        return new double[] {load.latencies().valueAt(0.99) / 1e6, (after - before) / elapsed,
                load.requests() / load.seconds()};
    }

    private static void priority(int runs) throws Exception {
        List<Double> baseP99 = new ArrayList<>();
        List<Double> lowP99 = new ArrayList<>();
        List<Double> lowRate = new ArrayList<>();
        List<Double> highRate = new ArrayList<>();
        getLoad(10); // warm-up
        for (int run = 0; run < runs; run++) {
            LoadGenerator.Result base = getLoad(20);
            System.out.println("run " + run + " no indexing: " + base.summary());
            baseP99.add(base.latencies().valueAt(0.99) / 1e6);
            double[] low = underLoad("Users/PrioLow", "Low", 20);
            double[] high = underLoad("Users/PrioHigh", "High", 20);
            lowP99.add(low[0]);
            lowRate.add(low[1]);
            highRate.add(high[1]);
        }
        double b = IndexingBenchmark.median(baseP99);
        double l = IndexingBenchmark.median(lowP99);
        double lr = IndexingBenchmark.median(lowRate);
        double hr = IndexingBenchmark.median(highRate);
        System.out.printf(Locale.ROOT, "median GET p99: no indexing %.3f ms, index at Low %.3f ms, ratio %.2f "
                + "(target <= 1.3)%n", b, l, l / b);
        System.out.printf(Locale.ROOT, "median index throughput under load: High %.0f docs/s, Low %.0f docs/s, "
                + "ratio %.2f (target >= 2)%n", hr, lr, hr / lr);
    }

    private static void queries() throws Exception {
        String index = "{\"Name\":\"Users/Query\",\"Collection\":\"Users\",\"Fields\":{"
                + "\"Name\":{\"Path\":\"Name\",\"Type\":\"Keyword\"},\"Age\":{\"Path\":\"Age\",\"Type\":\"Long\"},"
                + "\"City\":{\"Path\":\"Address.City\",\"Type\":\"Keyword\"},\"Bio\":{\"Path\":\"Bio\",\"Type\":\"Text\"}},"
                + "\"Priority\":\"High\"}";
        send("PUT", "/databases/bench/admin/indexes", index);
        long t0 = System.nanoTime();
        var wait = send("POST", "/databases/bench/queries", "{\"Query\":\"from index 'Users/Query' limit 0\","
                + "\"WaitForNonStaleResults\":true,\"WaitForNonStaleResultsTimeoutInMs\":3600000}");
        System.out.printf(Locale.ROOT, "index Users/Query (4 fields incl. Text) built in %.1f s: %s%n",
                (System.nanoTime() - t0) / 1e9, wait.body());
        String[][] queries = {
            {"term", "from index 'Users/Query' where City = 'City417' limit 10"},
            {"range", "from index 'Users/Query' where Age between 30 and 31 limit 10"},
            {"full-text", "from index 'Users/Query' where search(Bio, 'kernel prefetch') limit 10"},
        };
        for (String[] q : queries) {
            String path = "/databases/bench/queries?query=" + URLEncoder.encode(q[1], StandardCharsets.UTF_8);
            System.out.println(q[0] + " total: " + send("GET", path, null).body().replaceAll(".*\"TotalResults\":(\\d+).*", "$1"));
            var scenario = LoadGenerator.parseScenario("get:" + path, "127.0.0.1:" + PORT);
            for (int connections : new int[] {1, 8}) {
                var result = LoadGenerator.run(new InetSocketAddress("127.0.0.1", PORT), scenario, connections,
                        Duration.ofSeconds(3), Duration.ofSeconds(10));
                System.out.println(q[0] + " connections=" + connections + ": " + result.summary());
            }
        }
    }
}
