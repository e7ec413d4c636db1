package dev.blitdb.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@link BlitDbMain} as a real child JVM: exit codes, printed configuration, SIGTERM. */
class BlitDbMainProcessTest {


    @TempDir
    Path tmp;


    @Test
    void shouldExitWithStatus2AndAMessageOnABadFlag() throws Exception {
        Process process = ChildServerProcess.command(List.of(), "--no-such-flag").redirectErrorStream(false).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM did not exit");
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue(), err);
        assertTrue(err.contains("blitdb: unknown option '--no-such-flag'"), err);
        assertTrue(err.contains("Usage: blitdb"), err);
    }

    @Test
    void shouldRefuseAPublicBindWithStatus2() throws Exception {
        Process process = ChildServerProcess.command(List.of(), "--bind", "0.0.0.0", "--port", "0").start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM did not exit");
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue(), err);
        assertTrue(err.contains("--allow-unsecured-public"), err);
        assertTrue(err.contains("without TLS") && err.contains("--tls-cert FILE --tls-key FILE"), err);
    }

    @Test
    void shouldFinishInFlightWritesOnSigtermAndFindEveryAcknowledgedOneAfterRestart() throws Exception {
        Path data = tmp.resolve("sigterm");
        Process first = ChildServerProcess.command(List.of(), "--port", "0", "--data-dir", data.toString()).redirectErrorStream(true).start();
        java.util.Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            String url = ChildServerProcess.awaitListening(first);
            var stop = new java.util.concurrent.atomic.AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                writers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String id = "w/" + thread + "/" + i;
                        try {
                            var r = http.send(HttpRequest.newBuilder(URI.create(url + "/databases/default/docs?id=" + id))
                                    .PUT(HttpRequest.BodyPublishers.ofString("{\"i\":" + i + "}")).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 201) {
                                acknowledged.add(id);
                            }
                        } catch (Exception e) {
                            return; // the server went away: this write was never acknowledged
                        }
                    }
                }));
            }
            while (acknowledged.size() < 200) {
                Thread.sleep(10);
            }
            assertTrue(first.toHandle().destroy()); // SIGTERM while writes are in flight
            assertTrue(first.waitFor(60, TimeUnit.SECONDS), "server did not stop on SIGTERM");
            stop.set(true);
            for (Thread w : writers) {
                w.join();
            }
        } finally {
            first.destroyForcibly();
        }
        Process second = ChildServerProcess.command(List.of(), "--port", "0", "--data-dir", data.toString()).redirectErrorStream(true).start();
        try (var http = HttpClient.newHttpClient()) {
            String url = ChildServerProcess.awaitListening(second);
            for (String id : acknowledged) {
                var r = http.send(HttpRequest.newBuilder(URI.create(url + "/databases/default/docs?id=" + id)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), id + " was acknowledged before SIGTERM but is missing");
            }
        } finally {
            second.toHandle().destroy();
            second.waitFor(60, TimeUnit.SECONDS);
            second.destroyForcibly();
        }
    }

    @Test
    void shouldPrintConfigurationServeHealthAndStopOnSigterm() throws Exception {
        Path data = tmp.resolve("db");
        Process process = ChildServerProcess.command(List.of(), "--port", "0", "--data-dir", data.toString()).redirectErrorStream(true).start();
        try {
            var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder printed = new StringBuilder();
            String url = null;
            String line = null;
            while (url == null && (line = out.readLine()) != null) {
                printed.append(line).append('\n');
                var m = ChildServerProcess.LISTENING.matcher(line);
                if (m.find()) {
                    url = m.group(1);
                }
            }
            assertNotNull(url, "no 'listening on' line in:\n" + printed);
            assertTrue(printed.toString().contains("data dir               " + data.toAbsolutePath()), printed.toString());
            assertTrue(printed.toString().contains("bind                   127.0.0.1"), printed.toString());
            assertTrue(printed.toString().contains("Databases: default (online)"), printed.toString());

            try (var http = HttpClient.newHttpClient()) {
                var response = http.send(HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
            }

            // SIGTERM through the handle: Process.destroy() would also close our end of the pipes.
            assertTrue(process.toHandle().destroy());
            StringBuilder rest = new StringBuilder();
            while ((line = out.readLine()) != null) {
                rest.append(line).append('\n');
            }
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "server did not stop on SIGTERM");
            assertTrue(rest.toString().contains("BlitDB stopped"), rest.toString());
            // The JVM reports death by SIGTERM as 128 + 15 after running the shutdown hooks.
            assertEquals(143, process.exitValue());
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * Issue 10, "healthy before it is ready": after a kill -9 the restarted server binds its port before its
     * databases are open. {@code /health/ready} must answer 503 (naming what is not open) until every database is
     * online, and the first request after its 200 must be served, not refused with "still opening".
     */
    @Test
    void shouldBeReadyOnlyOnceEveryDatabaseIsOpenAfterARestartFromKill9() throws Exception {
        Path data = tmp.resolve("kill9");
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String[] args = {"--port", Integer.toString(port), "--data-dir", data.toString()};
        Process first = ChildServerProcess.command(List.of(), args).redirectErrorStream(true).start();
        try (var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            String url = ChildServerProcess.awaitListening(first);
            assertEquals(201, http.send(HttpRequest.newBuilder(URI.create(url + "/admin/databases?name=shop"))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode());
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 5000; i++) {
                lines.append("{\"Name\":\"n").append(i).append("\",\"@metadata\":{\"@id\":\"users/").append(i)
                        .append("\",\"@collection\":\"Users\"}}\n");
            }
            for (String db : List.of("default", "shop")) {
                var r = http.send(HttpRequest.newBuilder(URI.create(url + "/databases/" + db + "/bulk_insert"))
                        .POST(HttpRequest.BodyPublishers.ofString(lines.toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
            }
        } finally {
            first.destroyForcibly(); // SIGKILL
            assertTrue(first.waitFor(60, TimeUnit.SECONDS));
        }

        Process second = ChildServerProcess.command(List.of(), args).redirectErrorStream(true).start();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                second.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            } catch (java.io.IOException ignored) {
                // the child is gone
            }
        });
        String url = "http://127.0.0.1:" + port;
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        try (var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(java.time.Duration.ofSeconds(5)).build()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int notReady = 0;
            while (true) {
                assertTrue(System.nanoTime() < deadline, "never ready");
                HttpResponse<String> ready;
                try {
                    ready = http.send(HttpRequest.newBuilder(URI.create(url + "/health/ready")).build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (java.net.ConnectException notListeningYet) {
                    Thread.sleep(2);
                    continue;
                }
                if (ready.statusCode() == 200) {
                    break;
                }
                assertEquals(503, ready.statusCode(), ready.body());
                var body = mapper.readTree(ready.body());
                assertEquals("DatabaseUnavailable", body.path("Type").asText(), ready.body());
                assertTrue(body.path("Starting").asBoolean() || !body.path("Loading").isEmpty(), ready.body());
                assertEquals("1", ready.headers().firstValue("Retry-After").orElse(null));
                notReady++;
            }
            // The moment readiness says 200, every database serves (before the fix there was no readiness, and
            // /health's 200 came while requests still got 503 "still opening").
            for (String db : List.of("default", "shop")) {
                var r = http.send(HttpRequest.newBuilder(URI.create(url + "/databases/" + db + "/docs?id=users/4999"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), db + " after ready (" + notReady + " not-ready answers): " + r.body());
            }
            var list = mapper.readTree(http.send(HttpRequest.newBuilder(URI.create(url + "/databases")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertTrue(list.toString().contains("Online") && !list.toString().contains("Loading"), list.toString());
        } finally {
            second.toHandle().destroy();
            second.waitFor(60, TimeUnit.SECONDS);
            second.destroyForcibly();
        }
    }
}
