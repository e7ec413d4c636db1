package dev.blitdb.server;

import dev.blitdb.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlitDbServerTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldServeHealthOnAnEphemeralLoopbackPort() throws Exception {
        var config = new ServerConfig("127.0.0.1", 0, dataDir.resolve("data"), false);
        try (var server = BlitDbServer.start(config); var http = HttpClient.newHttpClient()) {
            assertTrue(server.port() > 0);
            var response = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("{\"Status\":\"Ok\"}", response.body());
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());

            var post = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/health"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
            assertTrue(post.body().contains("\"Type\":\"MethodNotAllowed\""), post.body());
        }
    }

    @Test
    void shouldStopAcceptingAfterClose() throws Exception {
        var config = new ServerConfig("127.0.0.1", 0, dataDir.resolve("data"), false);
        var server = BlitDbServer.start(config);
        String url = server.url() + "/health";
        server.close();
        try (var http = HttpClient.newHttpClient()) {
            assertThrows(java.io.IOException.class, () -> http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
    }

    @Test
    void shouldFinishAnInFlightWriteOnCloseAndRefuseNewRequestsWithJson503() throws Exception {
        var config = new ServerConfig("127.0.0.1", 0, dataDir.resolve("data"), false);
        var server = BlitDbServer.start(config);
        Thread closer;
        try (var socket = new java.net.Socket("127.0.0.1", server.port()); var http = HttpClient.newHttpClient()) {
            var out = socket.getOutputStream();
            // A PUT whose body arrives in two parts: the handler is blocked reading it when close() begins.
            out.write(("PUT /databases/default/docs?id=slow HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n{\"a\":")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300);
            closer = Thread.ofPlatform().start(server::close);
            Thread.sleep(300);
            var refused = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, refused.statusCode());
            assertTrue(refused.body().contains("\"Type\":\"DatabaseUnavailable\""), refused.body());
            assertTrue(closer.isAlive(), "close() must wait for the request in flight");

            out.write("\"0123456789ab\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 201 Created", status);
        }
        closer.join(60_000);
        try (var again = BlitDbServer.start(config); var http = HttpClient.newHttpClient()) {
            var get = http.send(HttpRequest.newBuilder(URI.create(again.url()
                    + "/databases/default/docs?id=slow")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, get.statusCode());
            assertTrue(get.body().startsWith("{\"a\":\"0123456789ab\""), get.body());
        }
    }

    @Test
    void shouldCutOffAStalledClientAndFreeItsWorker() throws Exception {
        var config = new ServerConfig("127.0.0.1", 0, dataDir.resolve("data"), false, 2, 1 << 20,
                java.time.Duration.ofMillis(500));
        try (var server = BlitDbServer.start(config); var http = HttpClient.newHttpClient()) {
            List<java.net.Socket> stalled = new java.util.ArrayList<>();
            try {
                // More stalled uploads than worker threads (2): without a timeout the server would stop serving.
                for (int i = 0; i < 4; i++) {
                    var socket = new java.net.Socket("127.0.0.1", server.port());
                    socket.getOutputStream().write(("PUT /databases/default/docs?id=stalled" + i + " HTTP/1.1\r\n"
                            + "Host: x\r\nContent-Length: 100\r\n\r\n{\"a\":").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    stalled.add(socket);
                }
                long start = System.nanoTime();
                for (var socket : stalled) {
                    socket.setSoTimeout(10_000);
                    var in = socket.getInputStream();
                    byte[] rest = in.readAllBytes(); // ends when the server closes the connection
                    String answer = new String(rest, java.nio.charset.StandardCharsets.US_ASCII);
                    assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 400"), answer);
                }
                assertTrue(System.nanoTime() - start < 8_000_000_000L, "stalled clients were not cut off");
                var put = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/databases/default/docs?id=ok"))
                        .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(201, put.statusCode(), put.body());
                var get = http.send(HttpRequest.newBuilder(URI.create(server.url()
                        + "/databases/default/docs?id=stalled0")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(404, get.statusCode());
            } finally {
                for (var socket : stalled) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void shouldFailClearlyWhenThePortIsTaken() throws Exception {
        var config = new ServerConfig("127.0.0.1", 0, dataDir.resolve("data"), false);
        try (var first = BlitDbServer.start(config)) {
            var clash = new ServerConfig("127.0.0.1", first.port(), dataDir.resolve("data"), false);
            var e = assertThrows(java.io.IOException.class, () -> BlitDbServer.start(clash));
            assertTrue(e.getMessage().contains("cannot listen on 127.0.0.1:" + first.port()), e.getMessage());
        }
    }
}
