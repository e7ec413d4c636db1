package dev.blitdb.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blitdb.client.exceptions.BlitDbTimeoutException;
import dev.blitdb.client.exceptions.RequestTooLargeException;
import dev.blitdb.client.operations.FieldType;
import dev.blitdb.client.operations.IndexDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorsAndConventionsTest {

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = new TestServer(dir.resolve("main"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** An entity whose identity property is not called "id". */
    public static class Product {
        public String sku;
        public String title;

        public Product() {
        }

        Product(String title) {
            this.title = title;
        }
    }

    @Test
    void shouldApplyCustomConventions() throws Exception {
        try (var store = server.newStore()) {
            store.conventions().identityProperty("sku")
                    .findCollectionName(type -> "Catalog" + type.getSimpleName())
                    .idPrefix(collection -> collection.toLowerCase(Locale.ROOT) + "-");
            Product p = new Product("Lamp");
            try (var s = store.openSession()) {
                s.store(p);
                s.saveChanges();
            }
            assertEquals("catalogproduct-1", p.sku);
            var raw = store.requestExecutor().execute(dev.blitdb.client.http.HttpCall.get("/databases/"
                    + store.database() + "/docs?id=catalogproduct-1"));
            var json = new ObjectMapper().readTree(raw.body());
            assertFalse(json.has("sku"), json.toString());
            assertEquals("CatalogProduct", json.get("@metadata").get("@collection").asText());
            try (var s = store.openSession()) {
                Product loaded = s.query(Product.class).whereEquals("title", "Lamp")
                        .waitForNonStaleResults(Duration.ofSeconds(30)).first();
                assertEquals("catalogproduct-1", loaded.sku);
                assertTrue(s.query(Product.class).toRql().startsWith("from CatalogProduct"));
            }
            assertThrows(IllegalStateException.class, () -> store.conventions().identityProperty("id"),
                    "conventions freeze at the first request");
        }
    }

    @Test
    void shouldQuoteFieldNamesThatAreNotPlainIdentifiers() {
        try (var store = server.newStore(); var s = store.openSession()) {
            assertEquals("from Users where `order` = $p0 and `Weird Name`.`in`[] = $p1 and startsWith(`exists`, $p2)",
                    s.query(User.class).whereEquals("order", 1).whereEquals("Weird Name.in[]", 2)
                            .whereStartsWith("exists", "x").toRql());
            assertThrows(IllegalArgumentException.class, () -> s.query(User.class).whereEquals("a`b", 1));
        }
    }

    @Test
    void shouldTimeOutWhenTheServerTakesLongerThanTheRequestTimeout() {
        try (var store = server.newStore()) {
            store.maintenance().putIndexes(IndexDefinition.builder("Users/ByName").collection("Users")
                    .field("Name", "name", FieldType.KEYWORD).build());
            store.maintenance().stopIndex("Users/ByName");
            try (var s = store.openSession()) {
                s.store(new User("Slow", 1));
                s.saveChanges();
            }
            try (var impatient = new DocumentStore(server.url(), store.database())) {
                impatient.conventions().requestTimeout(Duration.ofMillis(1000));
                try (var s = impatient.openSession()) {
                    // The stopped index never catches up, so the server waits its full 10 s; the client gives up.
                    var e = assertThrows(BlitDbTimeoutException.class, () -> s.query(User.class, "Users/ByName")
                            .whereEquals("Name", "Slow").waitForNonStaleResults(Duration.ofSeconds(10)).toList());
                    assertTrue(e.getMessage().contains("1000 ms"), e.getMessage());
                }
            }
            store.maintenance().startIndex("Users/ByName");
        }
    }

    @Test
    void shouldReportARequestOverTheServersLimitAsTooLarge() throws Exception {
        try (TestServer small = new TestServer(dir.resolve("small"), "--max-body-size", "64k");
             var store = new DocumentStore(small.url(), "default")) {
            try (var s = store.openSession()) {
                User big = new User("x".repeat(100_000), 1);
                s.store(big);
                var e = assertThrows(RequestTooLargeException.class, s::saveChanges);
                assertEquals(413, e.status());
                assertTrue(e.getMessage().contains("65536"), e.getMessage());
            }
            try (var s = store.openSession()) {
                s.store(new User("small", 1), "users/small");
                s.saveChanges();
                assertNotNull(s.load(User.class, "users/small"));
            }
            // Bulk insert has no limit on the stream, only on each document (line).
            var bulk = store.bulkInsert();
            var e = assertThrows(dev.blitdb.client.bulk.BulkInsertException.class, () -> {
                try (bulk) {
                    for (int i = 0; i < 200; i++) {
                        bulk.store(new User("y".repeat(1000), i), "bulk/" + i); // 200 KB in all: over the limit
                    }
                    bulk.store(new User("z".repeat(100_000), 0), "bulk/too-big");
                }
            });
            assertEquals(200, e.index());
            assertEquals(200, e.committed());
            assertTrue(e.getCause() instanceof RequestTooLargeException, String.valueOf(e.getCause()));
        }
    }
}
