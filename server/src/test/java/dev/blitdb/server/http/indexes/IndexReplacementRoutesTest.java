package dev.blitdb.server.http.indexes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blitdb.server.http.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A changed index over HTTP: Replacing, followed as an IndexRebuild operation, queries answered throughout. */
class IndexReplacementRoutesTest {

    @TempDir
    Path data;
    private TestServer server;

    private static final String V1 = "{\"Name\":\"Users/Q\",\"Collection\":\"Users\",\"Fields\":{\"Name\":{\"Path\":"
            + "\"Name\",\"Type\":\"Keyword\"}}}";
    private static final String V2 = "{\"Name\":\"Users/Q\",\"Collection\":\"Users\",\"Fields\":{\"Name\":{\"Path\":"
            + "\"Name\",\"Type\":\"Keyword\"},\"Age\":{\"Path\":\"Age\",\"Type\":\"Long\"}}}";

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(data);
        StringBuilder bulk = new StringBuilder("{\"Commands\":[");
        for (int i = 0; i < 300; i++) {
            bulk.append(i == 0 ? "" : ",").append("{\"Type\":\"PUT\",\"Id\":\"users/").append(i)
                    .append("\",\"Document\":{\"Name\":\"u").append(i).append("\",\"Age\":").append(i % 50)
                    .append(",\"@metadata\":{\"@collection\":\"Users\"}}}");
        }
        assertEquals(200, server.post("/databases/default/bulk_docs", bulk.append("]}").toString()).statusCode());
        assertEquals(201, putIndex(V1).statusCode());
        assertEquals(300, TestServer.json(server.post("/databases/default/queries",
                "{\"Query\":\"from index 'Users/Q'\",\"WaitForNonStaleResults\":true}")).get("TotalResults").asInt());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private java.net.http.HttpResponse<String> putIndex(String json) throws Exception {
        return server.send(server.at("/databases/default/admin/indexes").PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    @Test
    void shouldReportTheSideBySideBuildAsAnOperationThatCompletesWhenItTookOver() throws Exception {
        var put = putIndex(V2);
        assertEquals(200, put.statusCode(), put.body());
        JsonNode result = TestServer.json(put).get("Results").get(0);
        assertEquals("Replacing", result.get("Outcome").asText());
        long id = result.get("OperationId").asLong();
        JsonNode op;
        long deadline = System.nanoTime() + 60_000_000_000L;
        do {
            var q = server.post("/databases/default/queries", "{\"Query\":\"from index 'Users/Q'\"}");
            assertEquals(300, TestServer.json(q).get("TotalResults").asInt(), "complete answers throughout");
            op = TestServer.json(server.get("/operations/" + id));
            assertEquals("IndexRebuild", op.get("Kind").asText());
            assertTrue(System.nanoTime() < deadline, op.toString());
            Thread.sleep(50);
        } while (op.get("State").asText().equals("Running"));
        assertEquals("Completed", op.get("State").asText(), op.toString());
        assertTrue(op.get("Result").get("TookOver").asBoolean());
        var q = server.post("/databases/default/queries", "{\"Query\":\"from index 'Users/Q' where Age = 3\"}");
        assertEquals(6, TestServer.json(q).get("TotalResults").asInt(), "the new field answers");
        assertEquals(400, putIndex(V2.replace("\"Users/Q\"", "\"ReplacementOf/Users/Q\"")).statusCode());
    }

    @Test
    void shouldCancelTheReplacementWhenTheOperationIsCancelled() throws Exception {
        // Indexing paused for the whole database: the replacement starts paused, so it cannot finish first.
        assertEquals(204, server.post("/databases/default/admin/indexes/stop", "").statusCode());
        var put = putIndex(V2);
        long id = TestServer.json(put).get("Results").get(0).get("OperationId").asLong();
        assertEquals("Paused", TestServer.json(server.get("/databases/default/indexes/stats?name=ReplacementOf/Users/Q"))
                .path("Results").path(0).path("State").asText(), "started paused");
        var cancel = server.post("/operations/" + id + "/cancel", "");
        assertTrue(cancel.statusCode() < 300, cancel.body());
        JsonNode op;
        long deadline = System.nanoTime() + 30_000_000_000L;
        do {
            op = TestServer.json(server.get("/operations/" + id));
            assertTrue(System.nanoTime() < deadline, op.toString());
            Thread.sleep(50);
        } while (op.get("State").asText().equals("Running"));
        assertEquals("Cancelled", op.get("State").asText(), op.toString());
        assertEquals(404, server.get("/databases/default/indexes?name=ReplacementOf/Users/Q").statusCode());
        assertTrue(server.get("/databases/default/indexes?name=Users/Q").body().contains("\"Name\":{"));
    }
}
