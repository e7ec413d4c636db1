package dev.blitdb.bench.http;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fills a database through {@code POST /databases/{db}/bulk_docs} with documents {@code bulk/0 .. bulk/(docs-1)}
 * of about {@code bytes} each, {@code batch} per request, over a few keep-alive connections; prints progress and
 * the rate. The ids are what {@link LoadGenerator}'s {@code mixed} scenario reads and overwrites.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.blitdb.bench.http.BulkLoader http://127.0.0.1:8080 bench 2000000 1024 1000 4
 * </pre>
 */
public final class BulkLoader {

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        String db = args[1];
        long docs = Long.parseLong(args[2]);
        int bytes = Integer.parseInt(args[3]);
        int batch = Integer.parseInt(args[4]);
        int connections = Integer.parseInt(args[5]);
        var address = new InetSocketAddress(uri.getHost(), uri.getPort());
        String host = uri.getHost() + ":" + uri.getPort();
        AtomicLong next = new AtomicLong();
        AtomicLong written = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try (HttpConnection http = new HttpConnection(address)) {
                    for (long first; (first = next.getAndAdd(batch)) < docs; ) {
                        long last = Math.min(docs, first + batch);
                        int status = http.exchange(request(host, db, first, last, bytes));
                        if (status != 200) {
                            failures.incrementAndGet();
                            System.err.println("batch from " + first + " -> " + status);
                        } else {
                            written.addAndGet(last - first);
                        }
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                    e.printStackTrace();
                }
            }));
        }
        Thread progress = Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    return;
                }
                double s = (System.nanoTime() - start) / 1e9;
                System.out.printf("%.0f s: %d documents, %.0f docs/s%n", s, written.get(), written.get() / s);
            }
        });
        for (Thread t : threads) {
            t.join();
        }
        progress.interrupt();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("loaded %d documents of ~%d bytes in %.1f s: %.0f docs/s, %.1f MB/s of JSON; %d failed "
                + "requests%n", written.get(), bytes, seconds, written.get() / seconds,
                written.get() * (double) bytes / seconds / 1e6, failures.get());
    }

    private static byte[] request(String host, String db, long first, long last, int bytes) {
        StringBuilder body = new StringBuilder((int) ((last - first) * (bytes + 64)) + 32);
        body.append("{\"Commands\":[");
        for (long n = first; n < last; n++) {
            if (n > first) {
                body.append(',');
            }
            body.append("{\"Type\":\"PUT\",\"Id\":\"bulk/").append(n).append("\",\"Document\":");
            int start = body.length();
            body.append("{\"Name\":\"user ").append(n).append("\",\"Age\":").append(n % 90)
                    .append(",\"Tags\":[\"a\",\"b\"],\"Bio\":\"");
            while (body.length() - start < bytes - 40) {
                body.append("lorem ipsum dolor sit amet ");
            }
            body.append("\",\"@metadata\":{\"@collection\":\"Users\"}}}");
        }
        body.append("]}");
        byte[] json = body.toString().getBytes(StandardCharsets.UTF_8);
        String head = "POST /databases/" + db + "/bulk_docs HTTP/1.1\r\nHost: " + host
                + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[headBytes.length + json.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(json, 0, request, headBytes.length, json.length);
        return request;
    }

    private BulkLoader() {
    }
}
