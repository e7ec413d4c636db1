package dev.blitdb.bench.client;

import dev.blitdb.client.DocumentStore;
import dev.blitdb.client.bulk.BulkInsertOperation;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Bulk insert throughput of the Java client into a running server in a separate JVM: documents of about 1 KB,
 * streamed by {@code store.bulkInsert()}, timed from opening the operation to {@code close()} returning (every
 * document durable). Each run uses a fresh database; the median of the runs is the figure.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.blitdb.bench.client.BulkInsertBenchmark \
 *     [--docs=300000] [--runs=3] [--warmups=1] [--streams=1] [--server-jar=server/target/blitdb-server.jar] [--url=http://...]
 * </pre>
 * Without {@code --url} it starts {@code java -jar server-jar} on a free port over a temporary data folder and
 * stops it at the end.
 */
public final class BulkInsertBenchmark {

    /** A typical small entity: a few short fields and a text, about 1 KB as JSON. */
    public static final class Customer {
        public String id;
        public String name;
        public String email;
        public int age;
        public String city;
        public String country;
        public List<String> tags;
        public String notes;
    }

    private BulkInsertBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int docs = intArg(args, "--docs", 300_000);
        int runs = intArg(args, "--runs", 3);
        int streams = intArg(args, "--streams", 1);
        int warmups = intArg(args, "--warmups", 1);
        String url = arg(args, "--url", null);
        String jar = arg(args, "--server-jar", "server/target/blitdb-server.jar");

        Process server = null;
        Path data = null;
        if (url == null) {
            data = Files.createTempDirectory("blitdb-bulk-bench");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            server = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar,
                    "--port=" + port, "--data-dir=" + data).redirectErrorStream(true)
                    .redirectOutput(data.resolveSibling(data.getFileName() + ".log").toFile()).start();
            url = "http://127.0.0.1:" + port;
            awaitHealth(url);
        }
        try {
            List<Customer> customers = customers(docs);
            long bytes = approximateBytes(customers.getFirst());
            System.out.printf(Locale.ROOT, "bulk insert: %d documents of ~%d bytes, %d stream(s), %d runs, server %s%n",
                    docs, bytes, streams, runs, url);
            // Warm-up runs (JIT of both JVMs) are printed but not counted.
            for (int w = 0; w < warmups; w++) {
                String db = "bulk-bench-warmup-" + System.currentTimeMillis() + "-" + w;
                try (DocumentStore store = new DocumentStore(url, db)) {
                    store.maintenance().server().createDatabase(db);
                    long start = System.nanoTime();
                    insert(store, customers, streams);
                    System.out.printf(Locale.ROOT, "warm-up %d: %.2f s%n", w + 1, (System.nanoTime() - start) / 1e9);
                    store.maintenance().server().deleteDatabase(db);
                }
            }
            double[] rates = new double[runs];
            for (int run = 0; run < runs; run++) {
                String db = "bulk-bench-" + System.currentTimeMillis() + "-" + run;
                try (DocumentStore store = new DocumentStore(url, db)) {
                    store.maintenance().server().createDatabase(db);
                    long clientCpu0 = processCpuNanos();
                    long serverCpu0 = serverCpuNanos(server);
                    long start = System.nanoTime();
                    insert(store, customers, streams);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double clientCpu = (processCpuNanos() - clientCpu0) / 1e9;
                    double serverCpu = (serverCpuNanos(server) - serverCpu0) / 1e9;
                    long stored = store.maintenance().getDatabaseStatistics().countOfDocuments();
                    if (stored != docs) {
                        throw new IllegalStateException("run " + run + ": " + stored + " documents stored, not " + docs);
                    }
                    rates[run] = docs / seconds;
                    System.out.printf(Locale.ROOT, "run %d: %.2f s, %.0f docs/s, %.1f MB/s, CPU client %.2f s"
                            + " (%.1f us/doc), server %s%n", run + 1, seconds, rates[run], rates[run] * bytes / 1e6,
                            clientCpu, clientCpu * 1e6 / docs, server == null ? "n/a" : String.format(Locale.ROOT,
                            "%.2f s (%.1f us/doc)", serverCpu, serverCpu * 1e6 / docs));
                    store.maintenance().server().deleteDatabase(db);
                }
            }
            double[] sorted = rates.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "median: %.0f docs/s (%.1f MB/s)%n", sorted[runs / 2],
                    sorted[runs / 2] * bytes / 1e6);
        } finally {
            if (server != null) {
                server.destroy();
                server.waitFor();
            }
        }
    }

    private static long processCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static long serverCpuNanos(Process server) {
        return server == null ? 0 : server.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static void insert(DocumentStore store, List<Customer> customers, int streams) throws Exception {
        if (streams == 1) {
            try (BulkInsertOperation bulk = store.bulkInsert()) {
                for (int i = 0; i < customers.size(); i++) {
                    bulk.store(customers.get(i), "customers/" + i);
                }
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(streams);
        List<Future<?>> futures = new ArrayList<>();
        int per = customers.size() / streams;
        for (int s = 0; s < streams; s++) {
            int from = s * per;
            int to = s == streams - 1 ? customers.size() : from + per;
            futures.add(pool.submit(() -> {
                try (BulkInsertOperation bulk = store.bulkInsert()) {
                    for (int i = from; i < to; i++) {
                        bulk.store(customers.get(i), "customers/" + i);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    private static List<Customer> customers(int n) {
        Random random = new Random(7);
        String[] cities = {"Oslo", "Paris", "Rome", "Lisbon", "Vienna", "Prague", "Dublin", "Madrid"};
        String[] words = {"order", "customer", "shipping", "invoice", "priority", "delivery", "account", "support",
                "payment", "discount", "warehouse", "return", "contract", "renewal", "premium", "regional"};
        List<Customer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Customer c = new Customer();
            c.name = "Customer " + i;
            c.email = "customer" + i + "@example.com";
            c.age = 18 + random.nextInt(70);
            c.city = cities[random.nextInt(cities.length)];
            c.country = "EU";
            c.tags = List.of(words[random.nextInt(words.length)], words[random.nextInt(words.length)]);
            StringBuilder notes = new StringBuilder(800);
            while (notes.length() < 760) {
                notes.append(words[random.nextInt(words.length)]).append(' ');
            }
            c.notes = notes.toString();
            out.add(c);
        }
        return out;
    }

    private static long approximateBytes(Customer c) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(c).length + 60;
    }

    private static void awaitHealth(String url) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the server is still starting
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the server at " + url + " did not start within 60 s");
            }
            Thread.sleep(100);
        }
    }

    private static String arg(String[] args, String name, String fallback) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        return fallback;
    }

    private static int intArg(String[] args, String name, int fallback) {
        String v = arg(args, name, null);
        return v == null ? fallback : Integer.parseInt(v);
    }
}
