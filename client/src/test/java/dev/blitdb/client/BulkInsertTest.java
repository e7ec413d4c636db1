package dev.blitdb.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blitdb.client.bulk.BulkInsertException;
import dev.blitdb.client.bulk.BulkInsertOperation;
import dev.blitdb.client.exceptions.BadRequestException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BulkInsertTest extends ServerTestBase {

    @Test
    void shouldInsertAHundredThousandDocumentsAllReadableAfterwards() {
        int n = 100_000;
        try (var store = server.newStore()) {
            long requestsBefore = store.requestExecutor().requestCount();
            Set<String> ids = new HashSet<>();
            long t0 = System.nanoTime();
            BulkInsertOperation bulk = store.bulkInsert();
            try (bulk) {
                for (int i = 0; i < n; i++) {
                    User u = new User("u" + i, i % 90);
                    ids.add(bulk.store(u));
                }
            }
            System.out.printf("bulk insert of %d documents: %d ms%n", n, (System.nanoTime() - t0) / 1_000_000);
            assertEquals(n, bulk.result().inserted());
            assertEquals(n, ids.size(), "generated ids are unique");
            // One streaming request plus the hi-lo reservations, which grow as the insert goes on.
            long requests = store.requestExecutor().requestCount() - requestsBefore;
            assertTrue(requests < 100, requests + " requests");
            assertEquals(n, store.maintenance().getDatabaseStatistics().countOfDocuments());
            List<String> sample = new ArrayList<>();
            ids.stream().sorted().limit(200).forEach(sample::add);
            try (var s = store.openSession()) {
                var loaded = s.load(User.class, sample);
                for (String id : sample) {
                    User u = loaded.get(id);
                    assertNotNull(u, id);
                    assertEquals(id, u.getId());
                    assertEquals("u", u.getName().substring(0, 1));
                }
                // Every document is readable: page through all of them by id prefix.
                long seen = 0;
                for (int start = 0; ; start += 1024) {
                    var page = store.requestExecutor().execute(dev.blitdb.client.http.HttpCall.get("/databases/"
                            + store.database() + "/docs?startsWith=users/&start=" + start + "&pageSize=1024"));
                    JsonNode results = readTree(page.body()).get("Results");
                    seen += results.size();
                    if (results.size() < 1024) {
                        break;
                    }
                }
                assertEquals(n, seen);
                System.out.printf("insert and read back: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            }
        }
    }

    @Test
    void shouldStopAtABadDocumentAndSayHowManyWereCommitted() {
        try (var store = server.newStore()) {
            BulkInsertOperation bulk = store.bulkInsert();
            var e = assertThrows(BulkInsertException.class, () -> {
                try (bulk) {
                    for (int i = 0; i < 3000; i++) {
                        bulk.store(new User("ok", i), "users/" + i);
                    }
                    bulk.store(new User("bad id", 0), "x".repeat(600)); // ids are at most 512 bytes
                    for (int i = 0; i < 1000; i++) {
                        bulk.store(new User("after", i), "later/" + i);
                    }
                }
            });
            assertEquals(3000, e.index());
            assertEquals(3000, e.committed());
            assertInstanceOf(BadRequestException.class, e.getCause());
            assertTrue(e.getMessage().contains("document 3000"), e.getMessage());
            try (var s = store.openSession()) {
                assertNotNull(s.load(User.class, "users/2999"));
                assertNull(s.load(User.class, "later/0"));
            }
            assertEquals(3000, store.maintenance().getDatabaseStatistics().countOfDocuments());
        }
    }

    @Test
    void shouldReportTheLineOfInvalidJsonInARawStream() throws Exception {
        HttpClient http = HttpClient.newHttpClient(); // not AutoCloseable on JDK 17, which these tests run on
        try (var store = server.newStore()) {
            String body = "{\"A\":1,\"@metadata\":{\"@id\":\"raw/1\",\"@collection\":\"Raws\"}}\n\n"
                    + "{\"A\":2,\"@metadata\":{\"@id\":\"raw/2\"}}\r\n"
                    + "{\"A\":3,\"@metadata\":{\"@id\":\"raw/3\"}\n"
                    + "{\"A\":4,\"@metadata\":{\"@id\":\"raw/4\"}}";
            var response = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/databases/"
                    + store.database() + "/bulk_insert")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, response.statusCode(), response.body());
            JsonNode error = readTree(response.body().getBytes());
            assertEquals("InvalidJson", error.get("Type").asText());
            assertEquals(2, error.get("Index").asLong());
            assertEquals(4, error.get("Line").asLong());
            assertEquals(2, error.get("Committed").asLong());
            var ok = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/databases/" + store.database()
                    + "/bulk_insert")).POST(HttpRequest.BodyPublishers.ofString(
                    "{\"@metadata\":{\"@id\":\"raw/9\"}}\n")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals(1, readTree(ok.body().getBytes()).get("Inserted").asLong());
            try (var s = store.openSession()) {
                assertNotNull(s.load(JsonNode.class, "raw/2"));
                assertNull(s.load(JsonNode.class, "raw/3"));
            }
        }
    }

    @Test
    void shouldWriteOneLinePerDocumentWhateverTheMapperAndLeaveTheIdOut() throws Exception {
        try (var store = server.newStore()) {
            store.conventions().mapper(dev.blitdb.client.DocumentConventions.defaultMapper()
                    .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.UPPER_CAMEL_CASE));
            try (var bulk = store.bulkInsert()) {
                bulk.store(new User("Pretty", 7));
                bulk.store(new User("Line \"two\"\n", 8), "users/with \"quotes\"");
            }
            var raw = store.requestExecutor().execute(dev.blitdb.client.http.HttpCall.get("/databases/"
                    + store.database() + "/docs?id=users/1"));
            JsonNode json = readTree(raw.body());
            assertEquals("Pretty", json.get("Name").asText(), json.toString());
            assertNull(json.get("Id"), json.toString());
            assertEquals("Users", json.get("@metadata").get("@collection").asText());
            try (var s = store.openSession()) {
                User quoted = s.load(User.class, "users/with \"quotes\"");
                assertEquals("Line \"two\"\n", quoted.getName());
                assertEquals("users/with \"quotes\"", quoted.getId());
                assertEquals(1, s.query(User.class).whereEquals("name", "Pretty")
                        .waitForNonStaleResults(java.time.Duration.ofSeconds(30)).toList().size());
            }
        }
    }

    private static JsonNode readTree(byte[] body) {
        try {
            return new ObjectMapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
