package dev.blitdb.bench.http;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A closed-loop HTTP load generator: N keep-alive connections, one platform thread each, sending requests back
 * to back for a warm-up period (not measured) and then a measured period. Prints requests/s, latency
 * percentiles and the status counts. Runs in its own JVM, so it competes with the server for the same cores,
 * as wrk would on the same machine.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.blitdb.bench.http.LoadGenerator \
 *     --url http://127.0.0.1:8080 --connections 16 --warmup 5 --duration 20 \
 *     --scenario get:/databases/bench/docs?id=docs/1
 * scenarios:  get:&lt;path&gt;                    the same GET each time
 *             put:&lt;db&gt;:&lt;bytes&gt;               PUT a fresh document of about that size, new id each time
 *             mixed:&lt;db&gt;:&lt;docs&gt;:&lt;put%&gt;:&lt;bytes&gt;  GET or (put% of the time) overwrite a random one of the
 *                                            ids bulk/0 .. bulk/(docs-1) written by {@link BulkLoader}
 * </pre>
 */
public final class LoadGenerator {

    /** Makes the bytes of the next request of one connection. */
    public interface Scenario {
        byte[] next(int connection, long sequence);
    }

    public record Result(double seconds, long requests, long errors, LatencyHistogram latencies) {
        public String summary() {
            return String.format(Locale.ROOT, "requests=%d errors=%d seconds=%.1f rps=%.0f p50=%.3fms p90=%.3fms "
                            + "p99=%.3fms p99.9=%.3fms max=%.3fms", requests, errors, seconds, requests / seconds,
                    ms(latencies.valueAt(0.50)), ms(latencies.valueAt(0.90)), ms(latencies.valueAt(0.99)),
                    ms(latencies.valueAt(0.999)), ms(latencies.max()));
        }

        private static double ms(long nanos) {
            return nanos / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        String url = "http://127.0.0.1:8080";
        int connections = 16;
        int warmup = 5;
        int duration = 20;
        String scenario = "get:/health";
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--url" -> url = value;
                case "--connections" -> connections = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--duration" -> duration = Integer.parseInt(value);
                case "--scenario" -> scenario = value;
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        URI uri = URI.create(url);
        var address = new InetSocketAddress(uri.getHost(), uri.getPort());
        Scenario s = parseScenario(scenario, uri.getHost() + ":" + uri.getPort());
        Result result = run(address, s, connections, Duration.ofSeconds(warmup), Duration.ofSeconds(duration));
        System.out.println("scenario=" + scenario + " connections=" + connections + " " + result.summary());
    }

    public static Scenario parseScenario(String text, String host) {
        String[] parts = text.split(":", 3);
        return switch (parts[0]) {
            case "get" -> {
                byte[] request = ("GET " + parts[1] + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                yield (connection, sequence) -> request;
            }
            case "put" -> {
                String db = parts[1];
                int size = Integer.parseInt(parts[2]);
                yield (connection, sequence) -> putRequest(host, db, "bench/c" + connection + "-" + sequence, size);
            }
            case "mixed" -> {
                String[] m = text.split(":");
                String db = m[1];
                long docs = Long.parseLong(m[2]);
                int putPercent = Integer.parseInt(m[3]);
                int size = m.length > 4 ? Integer.parseInt(m[4]) : 1024;
                yield (connection, sequence) -> {
                    var random = java.util.concurrent.ThreadLocalRandom.current();
                    String id = "bulk/" + random.nextLong(docs);
                    if (random.nextInt(100) < putPercent) {
                        return putRequest(host, db, id, size);
                    }
                    return ("GET /databases/" + db + "/docs?id=" + id + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII);
                };
            }
            default -> throw new IllegalArgumentException("unknown scenario " + text);
        };
    }

    /** A PUT of a JSON document of about {@code size} bytes, shaped like a small user record. */
    static byte[] putRequest(String host, String db, String id, int size) {
        StringBuilder body = new StringBuilder(size + 64);
        body.append("{\"Name\":\"user ").append(id).append("\",\"Age\":").append(Math.floorMod(id.hashCode(), 90))
                .append(",\"Tags\":[\"a\",\"b\"],\"Bio\":\"");
        while (body.length() < size - 40) {
            body.append("lorem ipsum dolor sit amet ");
        }
        body.append("\",\"@metadata\":{\"@collection\":\"Users\"}}");
        byte[] json = body.toString().getBytes(StandardCharsets.UTF_8);
        String head = "PUT /databases/" + db + "/docs?id=" + id + " HTTP/1.1\r\nHost: " + host
                + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[headBytes.length + json.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(json, 0, request, headBytes.length, json.length);
        return request;
    }

    public static Result run(InetSocketAddress address, Scenario scenario, int connections, Duration warmup,
                      Duration duration) throws InterruptedException {
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        List<LatencyHistogram> histograms = new ArrayList<>();
        long[][] counters = new long[connections][2];
        CountDownLatch done = new CountDownLatch(connections);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            LatencyHistogram histogram = new LatencyHistogram();
            histograms.add(histogram);
            int connection = c;
            threads.add(Thread.ofPlatform().name("load-" + c).start(() -> {
                try (HttpConnection http = new HttpConnection(address)) {
                    long sequence = 0;
                    while (!stop.get()) {
                        byte[] request = scenario.next(connection, sequence++);
                        long start = System.nanoTime();
                        int status;
                        try {
                            status = http.exchange(request);
                        } catch (Exception e) {
                            status = -1;
                        }
                        long elapsed = System.nanoTime() - start;
                        if (measuring.get()) {
                            histogram.record(elapsed);
                            counters[connection][0]++;
                            if (status < 200 || status >= 300) {
                                counters[connection][1]++;
                            }
                        }
                    }
                } finally {
                    done.countDown();
                }
            }));
        }
        Thread.sleep(warmup.toMillis());
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(duration.toMillis());
        measuring.set(false);
        double seconds = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        done.await();
        LatencyHistogram all = new LatencyHistogram();
        histograms.forEach(all::merge);
        long requests = 0;
        long errors = 0;
        for (long[] counter : counters) {
            requests += counter[0];
            errors += counter[1];
        }
        return new Result(seconds, requests, errors, all);
    }

    private LoadGenerator() {
    }
}
