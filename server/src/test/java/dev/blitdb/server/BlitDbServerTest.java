package dev.blitdb.server;

import dev.blitdb.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

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
    void shouldFailClearlyWhenThePortIsTaken() throws Exception {
        var config = new ServerConfig("127.0.0.1", 0, dataDir.resolve("data"), false);
        try (var first = BlitDbServer.start(config)) {
            var clash = new ServerConfig("127.0.0.1", first.port(), dataDir.resolve("data"), false);
            var e = assertThrows(java.io.IOException.class, () -> BlitDbServer.start(clash));
            assertTrue(e.getMessage().contains("cannot listen on 127.0.0.1:" + first.port()), e.getMessage());
        }
    }
}
