package dev.blitdb.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.blitdb.server.http.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /databases/{db}/bulk_docs}: all commands in one transaction, all or none. */
class BulkDocsTest {

    @TempDir
    static Path tmp;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(tmp.resolve("data"));
        server.createDatabase("bulk");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldApplyEveryCommandAndAnswerResultsInOrder() throws Exception {
        server.put("bulk", "b/gone", "{\"x\":0}");
        var response = server.post("/databases/bulk/bulk_docs", """
                {"Commands":[
                  {"Type":"PUT","Id":"b/1","Document":{"Name":"One","Nested":{"A":[1,{"B":"\\u00e9"}]},"@metadata":{"@collection":"Bs"}}},
                  {"Type":"PUT","Id":"b/2","Document":{"Name":"Two"},"ChangeVector":null},
                  {"Type":"DELETE","Id":"b/gone"},
                  {"Type":"delete","Id":"b/never"}
                ]}""");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode results = json(response).get("Results");
        assertEquals(4, results.size());
        assertEquals("PUT", results.get(0).get("Type").asText());
        assertEquals("Bs", results.get(0).get("Collection").asText());
        assertTrue(results.get(1).get("ChangeVector").asText().startsWith("A:"));
        assertTrue(results.get(2).get("Deleted").asBoolean());
        assertFalse(results.get(3).get("Deleted").asBoolean());

        JsonNode one = json(server.getDoc("bulk", "b/1"));
        assertEquals("\u00e9", one.get("Nested").get("A").get(1).get("B").asText());
        assertEquals(results.get(0).get("ChangeVector").asText(), one.get("@metadata").get("@change-vector").asText());
        assertEquals(404, server.getDoc("bulk", "b/gone").statusCode());
    }

    @Test
    void shouldApplyNothingWhenOneCommandConflicts() throws Exception {
        String cv = json(server.put("bulk", "atom/1", "{\"v\":1}")).get("ChangeVector").asText();
        server.put("bulk", "atom/1", "{\"v\":2}");
        var response = server.post("/databases/bulk/bulk_docs", """
                {"Commands":[
                  {"Type":"PUT","Id":"atom/new","Document":{"v":1}},
                  {"Type":"DELETE","Id":"atom/2"},
                  {"Type":"PUT","Id":"atom/1","Document":{"v":3},"ChangeVector":"%s"}
                ]}""".formatted(cv));
        assertEquals(409, response.statusCode(), response.body());
        JsonNode error = json(response);
        assertEquals(2, error.get("CommandIndex").asInt());
        assertTrue(error.get("Message").asText().contains("atom/1"), error.toString());
        assertEquals(cv, error.get("ExpectedChangeVector").asText());
        assertEquals(404, server.getDoc("bulk", "atom/new").statusCode());
        assertEquals(2, json(server.getDoc("bulk", "atom/1")).get("v").asInt());
    }

    @Test
    void shouldApplyNothingWhenOneCommandHasABadId() throws Exception {
        var response = server.post("/databases/bulk/bulk_docs", """
                {"Commands":[{"Type":"PUT","Id":"ok/1","Document":{}},{"Type":"PUT","Id":"","Document":{}}]}""");
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(1, json(response).get("CommandIndex").asInt());
        assertEquals(404, server.getDoc("bulk", "ok/1").statusCode());
    }

    @Test
    void shouldRefuseMalformedEnvelopesWithTheProblemAndPosition() throws Exception {
        String[][] cases = {
                {"{\"Commands\":[{\"Type\":\"PUT\",\"Id\":\"x\",\"Document\":{\"a\":tru}}]}", "InvalidJson"},
                {"{\"Commands\":[{\"Type\":\"PUT\",\"Id\":\"x\"}]}", "needs a Document"},
                {"{\"Commands\":[{\"Type\":\"PATCH\",\"Id\":\"x\"}]}", "not PUT or DELETE"},
                {"{\"Commands\":[{\"Type\":\"PUT\",\"Id\":\"x\",\"Document\":[1]}]}", "must be an object"},
                {"{\"Commands\":[{\"Type\":\"PUT\",\"Id\":\"x\",\"Document\":{},\"Cv\":\"\"}]}", "unknown property 'Cv'"},
                {"{\"Commands\":{}}", "must be an array"},
                {"[]", "must be an object"},
                {"{}", "no Commands"},
                {"{\"Commands\":[]} x", "InvalidJson"},
                {"", "InvalidJson"},
        };
        for (String[] c : cases) {
            var response = server.post("/databases/bulk/bulk_docs", c[0]);
            assertEquals(400, response.statusCode(), c[0] + " -> " + response.body());
            assertTrue(response.body().contains(c[1]), c[0] + " -> " + response.body());
        }
        String deep = "{\"Commands\":[{\"Type\":\"PUT\",\"Id\":\"d\",\"Document\":" + "{\"a\":".repeat(100_000)
                + "1" + "}".repeat(100_000) + "}]}";
        var tooDeep = server.post("/databases/bulk/bulk_docs", deep);
        assertEquals(400, tooDeep.statusCode(), tooDeep.body());
        assertTrue(tooDeep.body().contains("line 1"), tooDeep.body());
        var empty = server.post("/databases/bulk/bulk_docs", "{\"Commands\":[]}");
        assertEquals(200, empty.statusCode());
        assertEquals(0, json(empty).get("Results").size());
        assertEquals(404, server.post("/databases/none/bulk_docs", "{\"Commands\":[]}").statusCode());
    }
}
