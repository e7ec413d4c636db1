package dev.blitdb.bench.metrics;

import dev.blitdb.server.BlitDbServer;
import dev.blitdb.server.config.ServerConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Times {@code GET /metrics} on an in-process server with {@code databases} databases of {@code indexes} static
 * indexes each (every index over a few documents, caught up), over a keep-alive loopback connection.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.blitdb.bench.metrics.ScrapeBenchmark /tmp/scrape 100 10 200</pre>
 */
public final class ScrapeBenchmark {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int databases = Integer.parseInt(args[1]);
        int indexes = Integer.parseInt(args[2]);
        int scrapes = Integer.parseInt(args[3]);
        Files.createDirectories(dir);
        try (BlitDbServer server = BlitDbServer.start(new ServerConfig("127.0.0.1", 0, dir, false));
             HttpClient http = HttpClient.newHttpClient()) {
            String base = server.url();
            long t0 = System.nanoTime();
            for (int d = 0; d < databases; d++) {
                String db = "db" + d;
                send(http, "PUT", base + "/admin/databases?name=" + db, null);
                StringBuilder bulk = new StringBuilder("{\"Commands\":[");
                for (int i = 0; i < 20; i++) {
                    bulk.append(i == 0 ? "" : ",").append("{\"Type\":\"PUT\",\"Id\":\"users/").append(i)
                            .append("\",\"Document\":{\"Name\":\"u").append(i).append("\",\"Age\":").append(i)
                            .append(",\"@metadata\":{\"@collection\":\"Users\"}}}");
                }
                send(http, "POST", base + "/databases/" + db + "/bulk_docs", bulk.append("]}").toString());
                StringBuilder defs = new StringBuilder("[");
                for (int i = 0; i < indexes; i++) {
                    defs.append(i == 0 ? "" : ",").append("{\"Name\":\"Users/I").append(i)
                            .append("\",\"Collection\":\"Users\",\"Fields\":{\"Name\":{\"Path\":\"Name\",\"Type\":\"Keyword\"}}}");
                }
                send(http, "PUT", base + "/databases/" + db + "/admin/indexes", defs.append("]").toString());
            }
            // Let every index catch up, so the scrape measures the steady state.
            for (int d = 0; d < databases; d++) {
                for (int i = 0; i < indexes; i++) {
                    send(http, "POST", base + "/databases/db" + d + "/queries", "{\"Query\":\"from index 'Users/I" + i
                            + "' limit 1\",\"WaitForNonStaleResults\":true}");
                }
            }
            System.out.printf("setup: %d databases x %d indexes in %.1f s%n", databases, indexes,
                    (System.nanoTime() - t0) / 1e9);
            HttpRequest scrape = HttpRequest.newBuilder(URI.create(base + "/metrics")).build();
            int bytes = 0;
            for (int i = 0; i < 20; i++) {
                bytes = http.send(scrape, HttpResponse.BodyHandlers.ofByteArray()).body().length; // warm-up
            }
            // CPU time of this process (server and client) per scrape, less what it burns idle over as long a
            // window (the index threads' idle loop): a figure the neighbours' load does not inflate the way it
            // inflates wall time.
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean();
            List<Double> millis = new ArrayList<>();
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            for (int i = 0; i < scrapes; i++) {
                long s = System.nanoTime();
                HttpResponse<byte[]> r = http.send(scrape, HttpResponse.BodyHandlers.ofByteArray());
                millis.add((System.nanoTime() - s) / 1e6);
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("scrape answered " + r.statusCode());
                }
            }
            long busyCpu = os.getProcessCpuTime() - cpu0;
            long wall = System.nanoTime() - wall0;
            long idle0 = os.getProcessCpuTime();
            Thread.sleep(wall / 1_000_000);
            long idleCpu = os.getProcessCpuTime() - idle0;
            System.out.printf("cpu: %.2f ms per scrape (process CPU %.0f ms over %d scrapes, %.0f ms idle over the "
                    + "same %.1f s)%n", (busyCpu - idleCpu) / 1e6 / scrapes, busyCpu / 1e6, scrapes, idleCpu / 1e6,
                    wall / 1e9);
            Collections.sort(millis);
            System.out.printf("scrape: %d bytes, %d samples; ms p50 %.2f p90 %.2f p99 %.2f max %.2f%n", bytes,
                    scrapes, millis.get(scrapes / 2), millis.get(scrapes * 9 / 10), millis.get(scrapes * 99 / 100),
                    millis.getLast());
        }
    }

    private static void send(HttpClient http, String method, String url, String body) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create(url)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
        }
    }
}
