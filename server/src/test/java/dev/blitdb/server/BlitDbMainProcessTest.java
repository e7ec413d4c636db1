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
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@link BlitDbMain} as a real child JVM: exit codes, printed configuration, SIGTERM. */
class BlitDbMainProcessTest {

    private static final Pattern LISTENING = Pattern.compile("BlitDB listening on (http://\\S+)");

    @TempDir
    Path tmp;

    private static ProcessBuilder childJvm(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(System.getProperty("blitdb.jvm.flags", "--enable-native-access=ALL-UNNAMED")
                .trim().split("\\s+")));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BlitDbMain.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    @Test
    void shouldExitWithStatus2AndAMessageOnABadFlag() throws Exception {
        Process process = childJvm("--no-such-flag").redirectErrorStream(false).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM did not exit");
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue(), err);
        assertTrue(err.contains("blitdb: unknown option '--no-such-flag'"), err);
        assertTrue(err.contains("Usage: blitdb"), err);
    }

    @Test
    void shouldRefuseAPublicBindWithStatus2() throws Exception {
        Process process = childJvm("--bind", "0.0.0.0", "--port", "0").start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM did not exit");
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue(), err);
        assertTrue(err.contains("--allow-unsecured-public"), err);
        assertTrue(err.contains("without TLS") && err.contains("--tls-cert FILE --tls-key FILE"), err);
    }

    /** Starts the server in a child JVM on a free port and returns its URL (the output is drained meanwhile). */
    private static String startChild(Process process) throws Exception {
        var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder printed = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            printed.append(line).append('\n');
            var m = LISTENING.matcher(line);
            if (m.find()) {
                Thread.ofPlatform().daemon().start(() -> out.lines().forEach(l -> { }));
                return m.group(1);
            }
        }
        throw new AssertionError("no 'listening on' line in:\n" + printed);
    }

    @Test
    void shouldFinishInFlightWritesOnSigtermAndFindEveryAcknowledgedOneAfterRestart() throws Exception {
        Path data = tmp.resolve("sigterm");
        Process first = childJvm("--port", "0", "--data-dir", data.toString()).redirectErrorStream(true).start();
        java.util.Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            String url = startChild(first);
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
        Process second = childJvm("--port", "0", "--data-dir", data.toString()).redirectErrorStream(true).start();
        try (var http = HttpClient.newHttpClient()) {
            String url = startChild(second);
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
        Process process = childJvm("--port", "0", "--data-dir", data.toString()).redirectErrorStream(true).start();
        try {
            var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder printed = new StringBuilder();
            String url = null;
            String line = null;
            while (url == null && (line = out.readLine()) != null) {
                printed.append(line).append('\n');
                var m = LISTENING.matcher(line);
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
}
