package dev.blitdb.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blitdb.server.BlitDbServer;
import dev.blitdb.server.config.ServerConfig;
import dev.blitdb.server.databases.DatabaseService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.blitdb.server.http.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /health} is liveness (200 as soon as the port answers), {@code /health/ready} readiness: 503 naming the
 * databases still opening or failed, 200 only once every database is online. A database is held in its opening
 * by a service that waits on a latch, so the order is deterministic.
 */
class ReadinessTest {

    @TempDir
    Path tmp;

    @Test
    void shouldAnswer503NamingWhatIsNotOnlineUntilEveryDatabaseIsOpen() throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("shop"));
        Files.createDirectories(data.resolve("broken"));
        CountDownLatch release = new CountDownLatch(1);
        DatabaseService.Factory slow = db -> {
            switch (db.name().value()) {
                case "broken" -> throw new IllegalStateException("cannot read its index definitions");
                case "shop" -> assertTrue(release.await(60, TimeUnit.SECONDS));
                default -> { }
            }
            return () -> { };
        };
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        var config = new ServerConfig("127.0.0.1", port, data, false);
        CompletableFuture<BlitDbServer> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return BlitDbServer.start(config, List.of(slow), List.of());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String url = "http://127.0.0.1:" + port;
        try (var http = HttpClient.newHttpClient()) {
            HttpResponse<String> health = null;
            for (int i = 0; i < 3000 && health == null; i++) {
                try {
                    health = get(http, url + "/health");
                } catch (java.net.ConnectException notYetListening) {
                    Thread.sleep(10);
                }
            }
            assertTrue(health != null, "the server never listened");
            assertEquals(200, health.statusCode(), "liveness answers while databases open");
            HttpResponse<String> ready = get(http, url + "/health/ready");
            for (int i = 0; i < 1000 && ready.statusCode() == 503
                    && !json(ready).path("Loading").toString().equals("[\"shop\"]"); i++) {
                Thread.sleep(10); // the port is bound before the databases are found; each opens on its own thread
                ready = get(http, url + "/health/ready");
            }
            assertEquals(503, ready.statusCode(), ready.body());
            JsonNode body = json(ready);
            assertEquals("DatabaseUnavailable", body.path("Type").asText());
            assertEquals("/health/ready", body.path("Url").asText());
            assertEquals("[\"shop\"]", body.path("Loading").toString(), ready.body());
            assertTrue(body.path("Message").asText().contains("database 'shop' is still opening"), ready.body());
            assertEquals("broken", body.path("Failed").get(0).path("Name").asText(), ready.body());
            assertEquals("1", ready.headers().firstValue("Retry-After").orElse(null));
            assertEquals("no-store", ready.headers().firstValue("Cache-Control").orElse(null));
            assertEquals(503, get(http, url + "/databases/shop/docs?id=a").statusCode(), "shop is still opening");
            assertEquals(503, http.send(HttpRequest.newBuilder(URI.create(url + "/health/ready"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());

            release.countDown();
            try (BlitDbServer server = starting.get(60, TimeUnit.SECONDS)) {
                ready = get(http, url + "/health/ready");
                assertEquals(503, ready.statusCode(), "a database that failed to open keeps the server not ready");
                body = json(ready);
                assertEquals("[]", body.path("Loading").toString());
                assertEquals("broken", body.path("Failed").get(0).path("Name").asText(), ready.body());
                assertTrue(body.path("Failed").get(0).path("Reason").asText()
                        .contains("cannot read its index definitions"), ready.body());

                assertEquals(204, http.send(HttpRequest.newBuilder(URI.create(url + "/admin/databases?name=broken"))
                        .DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
                ready = get(http, url + "/health/ready");
                assertEquals(200, ready.statusCode(), ready.body());
                assertEquals("{\"Status\":\"Ready\",\"Databases\":[\"default\",\"shop\"]}", ready.body());
                assertEquals(404, get(http, url + "/databases/shop/docs?id=a").statusCode(), "shop serves");
                assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(url + "/health/ready"))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
                assertEquals(server.port(), port);
            }
        } finally {
            release.countDown();
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
