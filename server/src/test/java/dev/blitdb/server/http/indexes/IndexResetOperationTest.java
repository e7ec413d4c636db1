package dev.blitdb.server.http.indexes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blitdb.server.http.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code RESET /databases/{db}/indexes?name=} over HTTP: 202 with an {@code IndexRebuild} operation whose progress
 * counts the collection's documents back in, completing when the index has caught up; cancelling it pauses the
 * index; an unknown index is a 404 and starts nothing.
 */
class IndexResetOperationTest {

    private static final String INDEX = "{\"Name\":\"Users/R\",\"Collection\":\"Users\",\"Fields\":{\"Name\":"
            + "{\"Path\":\"Name\",\"Type\":\"Keyword\"}}}";

    @TempDir
    Path data;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(data);
        StringBuilder bulk = new StringBuilder("{\"Commands\":[");
        for (int i = 0; i < 300; i++) {
            bulk.append(i == 0 ? "" : ",").append("{\"Type\":\"PUT\",\"Id\":\"users/").append(i)
                    .append("\",\"Document\":{\"Name\":\"u").append(i)
                    .append("\",\"@metadata\":{\"@collection\":\"Users\"}}}");
        }
        assertEquals(200, server.post("/databases/default/bulk_docs", bulk.append("]}").toString()).statusCode());
        assertEquals(201, server.send(server.at("/databases/default/admin/indexes")
                .PUT(HttpRequest.BodyPublishers.ofString(INDEX))).statusCode());
        assertEquals(300, TestServer.json(server.post("/databases/default/queries",
                "{\"Query\":\"from index 'Users/R'\",\"WaitForNonStaleResults\":true}")).get("TotalResults").asInt());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> reset(String name) throws Exception {
        return server.send(server.at("/databases/default/indexes?name=" + name)
                .method("RESET", HttpRequest.BodyPublishers.noBody()));
    }

    private JsonNode awaitEnd(long id) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        JsonNode op;
        do {
            op = TestServer.json(server.get("/operations/" + id));
            assertTrue(System.nanoTime() < deadline, op.toString());
            Thread.sleep(50);
        } while (op.get("State").asText().equals("Running"));
        return op;
    }

    @Test
    void shouldFollowTheRebuildAfterAResetWithItsProgressUntilItCaughtUp() throws Exception {
        // Paused first, so the emptied index is seen at 0 of 300 before it rebuilds.
        assertEquals(204, server.post("/databases/default/admin/indexes/stop?name=Users/R", "").statusCode());
        var reset = reset("users/r"); // names are case-insensitive; the operation uses the index's own
        assertEquals(202, reset.statusCode(), reset.body());
        long id = TestServer.json(reset).get("OperationId").asLong();
        assertEquals("/operations/" + id, reset.headers().firstValue("Location").orElse(null));

        JsonNode running = TestServer.json(server.get("/operations/" + id));
        assertEquals("IndexRebuild", running.get("Kind").asText());
        assertEquals("default", running.get("Database").asText());
        assertEquals("rebuilding Users/R after a reset", running.get("Description").asText());
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (running.get("Progress").get("Total").asLong() != 300) { // the first look takes up to one poll
            assertTrue(System.nanoTime() < deadline, running.toString());
            Thread.sleep(20);
            running = TestServer.json(server.get("/operations/" + id));
        }
        assertEquals("Running", running.get("State").asText(), running.toString());
        assertEquals(0, running.get("Progress").get("Processed").asLong(), running.toString());
        assertEquals("documents", running.get("Progress").get("Unit").asText());
        String listed = server.get("/operations?database=default").body();
        assertTrue(listed.contains("\"Id\":" + id + ","), listed);

        assertEquals(204, server.post("/databases/default/admin/indexes/start?name=Users/R", "").statusCode());
        JsonNode done = awaitEnd(id);
        assertEquals("Completed", done.get("State").asText(), done.toString());
        assertEquals(300, done.get("Progress").get("Processed").asLong(), done.toString());
        assertEquals(100.0, done.get("Progress").get("Percent").asDouble(), done.toString());
        assertEquals("Users/R", done.get("Result").get("Index").asText());
        assertEquals(300, done.get("Result").get("Entries").asLong());
        var q = server.post("/databases/default/queries", "{\"Query\":\"from index 'Users/R'\"}");
        assertTrue(q.body().contains("\"TotalResults\":300") && q.body().contains("\"IsStale\":false"), q.body());
    }

    @Test
    void shouldEndCancelledAndLeaveTheIndexPausedWhenTheResetOperationIsCancelled() throws Exception {
        assertEquals(204, server.post("/databases/default/admin/indexes/stop?name=Users/R", "").statusCode());
        long id = TestServer.json(reset("Users/R")).get("OperationId").asLong();
        var cancel = server.post("/operations/" + id + "/cancel", "");
        assertEquals(202, cancel.statusCode(), cancel.body());
        JsonNode op = awaitEnd(id);
        assertEquals("Cancelled", op.get("State").asText(), op.toString());
        JsonNode stats = TestServer.json(server.get("/databases/default/indexes/stats?name=Users/R"))
                .get("Results").get(0);
        assertEquals("Paused", stats.get("State").asText(), stats.toString());
        assertTrue(stats.get("IsStale").asBoolean(), stats.toString());

        // Resumed by hand, it rebuilds (nothing follows it any more).
        assertEquals(204, server.post("/databases/default/admin/indexes/start?name=Users/R", "").statusCode());
        assertEquals(300, TestServer.json(server.post("/databases/default/queries",
                "{\"Query\":\"from index 'Users/R'\",\"WaitForNonStaleResults\":true}")).get("TotalResults").asInt());
        assertEquals("Cancelled", TestServer.json(server.get("/operations/" + id)).get("State").asText());
    }

    @Test
    void shouldAnswer404ForAnUnknownIndexAndStartNoOperation() throws Exception {
        var reset = reset("Users/Nope");
        assertEquals(404, reset.statusCode(), reset.body());
        assertTrue(reset.body().contains("\"Type\":\"IndexDoesNotExist\""), reset.body());
        assertEquals("{\"Operations\":[]}", server.get("/operations").body());
    }
}
