package dev.blitdb.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blitdb.server.databases.DatabaseLease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.blitdb.server.http.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Database create / list / drop, isolation, restart persistence, unknown databases. */
class DatabasesTest {

    @TempDir
    Path tmp;

    private static List<String> names(TestServer server) throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode db : json(server.get("/databases")).get("Databases")) {
            names.add(db.get("Name").asText() + ":" + db.get("State").asText());
        }
        return names;
    }

    @Test
    void shouldCreateDefaultOnFirstStartAndListCreateAndDropDatabases() throws Exception {
        try (var server = TestServer.start(tmp.resolve("data"))) {
            assertEquals(List.of("default:Online"), names(server));
            var created = server.createDatabase("Shop");
            assertEquals(201, created.statusCode(), created.body());
            assertEquals("Shop", json(created).get("Name").asText());
            assertEquals(409, server.createDatabase("SHOP").statusCode());
            assertEquals(List.of("default:Online", "Shop:Online"), names(server));
            assertEquals(201, server.put("shop", "x/1", "{}").statusCode()); // names are case-insensitive

            for (String bad : new String[] {"", "a b", "../etc", ".hidden", "-flag", "x".repeat(65), "caf\u00e9"}) {
                var response = server.createDatabase(bad);
                assertEquals(400, response.statusCode(), bad + " -> " + response.body());
            }
            assertEquals(400, server.get("/databases/a%20b/docs?id=x").statusCode());

            assertEquals(204, server.dropDatabase("Shop").statusCode());
            assertFalse(Files.exists(tmp.resolve("data/Shop")));
            assertEquals(List.of("default:Online"), names(server));
            var gone = server.getDoc("Shop", "x/1");
            assertEquals(404, gone.statusCode());
            assertEquals("DatabaseDoesNotExist", json(gone).get("Type").asText());
            assertEquals(404, server.dropDatabase("Shop").statusCode());

            assertEquals(201, server.createDatabase("shop").statusCode()); // a fresh, empty one
            assertEquals(404, server.getDoc("shop", "x/1").statusCode());
            assertEquals("NotFound", json(server.getDoc("shop", "x/1")).get("Type").asText());
        }
    }

    @Test
    void shouldKeepDatabasesIsolated() throws Exception {
        try (var server = TestServer.start(tmp.resolve("data"))) {
            server.createDatabase("a");
            server.createDatabase("b");
            server.put("a", "same/id", "{\"db\":\"a\"}");
            server.put("b", "same/id", "{\"db\":\"b\"}");
            server.put("a", "only/a", "{}");
            assertEquals("a", json(server.getDoc("a", "same/id")).get("db").asText());
            assertEquals("b", json(server.getDoc("b", "same/id")).get("db").asText());
            assertEquals(404, server.getDoc("b", "only/a").statusCode());
            assertEquals(2, json(server.get("/databases/a/stats")).get("CountOfDocuments").asLong());
            assertEquals(1, json(server.get("/databases/b/stats")).get("CountOfDocuments").asLong());
            server.dropDatabase("a");
            assertEquals("b", json(server.getDoc("b", "same/id")).get("db").asText());
        }
    }

    @Test
    void shouldFindEverythingAfterARestartAndNotRecreateADroppedDefault() throws Exception {
        Path data = tmp.resolve("data");
        String cv;
        try (var server = TestServer.start(data)) {
            server.createDatabase("kept");
            cv = json(server.put("kept", "users/1", "{\"Name\":\"Ann\",\"@metadata\":{\"@collection\":\"Users\"}}"))
                    .get("ChangeVector").asText();
            server.put("kept", "users/2", "{\"Name\":\"Bob\"}");
            server.delete("kept", "users/2");
            server.get("/databases/kept/hilo/next?tag=users");
            server.dropDatabase("default");
        }
        try (var server = TestServer.start(data)) {
            assertEquals(List.of("kept:Online"), names(server));
            var get = server.getDoc("kept", "users/1");
            assertEquals(200, get.statusCode());
            assertEquals("Ann", json(get).get("Name").asText());
            assertEquals("\"" + cv + "\"", get.headers().firstValue("ETag").orElseThrow());
            assertEquals(404, server.getDoc("kept", "users/2").statusCode());
            JsonNode stats = json(server.get("/databases/kept/stats"));
            assertEquals(1, stats.get("CountOfTombstones").asLong());
            assertEquals(33, json(server.get("/databases/kept/hilo/next?tag=users")).get("First").asLong());
        }
    }

    @Test
    void shouldWaitForInFlightRequestsBeforeDroppingAndRefuseNewOnes() throws Exception {
        try (var server = TestServer.start(tmp.resolve("data"))) {
            server.createDatabase("busy");
            server.put("busy", "d/1", "{}");
            DatabaseLease lease = server.server.databases().acquire("busy");
            CompletableFuture<Integer> drop = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.dropDatabase("busy").statusCode();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertThrows(TimeoutException.class, () -> drop.get(500, TimeUnit.MILLISECONDS));
            var during = server.getDoc("busy", "d/1");
            assertEquals(404, during.statusCode(), during.body());
            assertTrue(json(during).get("Message").asText().contains("being deleted"), during.body());
            // The request holding the lease still reads its database.
            try (var reader = lease.store().beginRead()) {
                assertEquals(1, reader.documentCount());
            }
            lease.close();
            assertEquals(204, drop.get(30, TimeUnit.SECONDS));
            assertEquals(404, server.getDoc("busy", "d/1").statusCode());
        }
    }

    @Test
    void shouldAnswer503ForADatabaseThatFailedToOpenAndStillServeTheOthers() throws Exception {
        Path data = tmp.resolve("data");
        try (var server = TestServer.start(data)) {
            server.createDatabase("broken");
            server.put("broken", "a", "{}");
            server.put("default", "fine", "{}");
        }
        Path file = data.resolve("broken/data.blit");
        byte[] garbage = new byte[16384];
        new java.util.Random(7).nextBytes(garbage);
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(garbage), 0); // both meta pages and then some
        }
        try (var server = TestServer.start(data)) {
            var response = server.getDoc("broken", "a");
            assertEquals(503, response.statusCode(), response.body());
            assertEquals("DatabaseUnavailable", json(response).get("Type").asText());
            assertTrue(json(response).get("Message").asText().contains("failed to open"), response.body());
            assertEquals(List.of("broken:Failed", "default:Online"), names(server));
            assertEquals(200, server.getDoc("default", "fine").statusCode());
            assertEquals(204, server.dropDatabase("broken").statusCode());
            assertFalse(Files.exists(data.resolve("broken")));
        }
    }

    @Test
    void shouldAnswer404ForUnknownDatabasesOnEveryRoute() throws Exception {
        try (var server = TestServer.start(tmp.resolve("data"))) {
            for (var response : List.of(server.getDoc("nope", "a"), server.put("nope", "a", "{}"),
                    server.delete("nope", "a"), server.get("/databases/nope/stats"),
                    server.get("/databases/nope/collections/stats"), server.get("/databases/nope/docs"))) {
                assertEquals(404, response.statusCode(), response.body());
                assertEquals("DatabaseDoesNotExist", json(response).get("Type").asText());
            }
            assertFalse(Files.exists(tmp.resolve("data/nope")));
        }
    }
}
