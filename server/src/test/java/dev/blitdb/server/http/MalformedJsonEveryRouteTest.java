package dev.blitdb.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.blitdb.server.http.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same malformed JSON sent to every route that takes a body gets the same answer: 400, {@code InvalidJson},
 * numeric {@code Line}/{@code Column} that point at the fault and are repeated in the message. RQL errors carry
 * numeric positions too.
 */
class MalformedJsonEveryRouteTest {

    @TempDir
    static Path tmp;
    static TestServer server;

    /** Every route that reads a body: method and path. */
    static final List<String[]> ROUTES = List.of(
            new String[] {"PUT", "/databases/default/docs?id=users/1"},
            new String[] {"POST", "/databases/default/bulk_docs"},
            new String[] {"POST", "/databases/default/bulk_insert"},
            new String[] {"PUT", "/databases/default/admin/indexes"},
            new String[] {"POST", "/databases/default/indexes/set-priority"},
            new String[] {"POST", "/databases/default/queries"},
            new String[] {"PUT", "/admin/security/api-keys"},
            new String[] {"PUT", "/admin/security/certificates"},
            new String[] {"POST", "/databases/default/admin/backup"},
            new String[] {"PUT", "/databases/default/admin/backup/config"},
            new String[] {"POST", "/admin/databases/restore"},
            new String[] {"POST", "/databases/default/import"});

    /** Malformed bodies, with the line of the fault (bulk_insert and import read lines, see below). */
    record Malformed(String what, byte[] body, int line) {
    }

    static final List<Malformed> BODIES = List.of(
            new Malformed("missing colon", "{ \"Name\" \"x\" }".getBytes(StandardCharsets.UTF_8), 1),
            new Malformed("unquoted name", "{nope:1}".getBytes(StandardCharsets.UTF_8), 1),
            new Malformed("invalid UTF-8 in a name", new byte[] {'{', '"', (byte) 0xFF, '"', ':', '1', '}'}, 1),
            new Malformed("a single quote", "{'Name':1}".getBytes(StandardCharsets.UTF_8), 1),
            new Malformed("control character", "{\"Na\u0001me\":1}".getBytes(StandardCharsets.UTF_8), 1));

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(tmp.resolve("data"));
        assertEquals(201, server.put("default", "users/1", "{\"Name\":\"Ann\"}").statusCode());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> send(String method, String path, byte[] body) throws Exception {
        return server.send(server.at(path).method(method, HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    @Test
    void shouldAnswerTheSameMalformedJsonTheSameWayOnEveryRouteThatTakesABody() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Malformed m : BODIES) {
            for (String[] route : ROUTES) {
                var response = send(route[0], route[1], m.body());
                String where = route[0] + " " + route[1] + " with " + m.what() + ": " + response.statusCode() + " "
                        + response.body();
                JsonNode body;
                try {
                    body = json(response);
                } catch (AssertionError notJson) {
                    failures.add(where);
                    continue;
                }
                boolean ok = response.statusCode() == 400
                        && "InvalidJson".equals(body.path("Type").asText())
                        && body.path("Line").isInt() && body.path("Column").isInt()
                        && body.path("Line").asInt() == m.line() && body.path("Column").asInt() >= 1
                        && body.path("Message").asText().contains("line " + m.line())
                        && body.path("Url").asText().equals(route[1]);
                if (!ok) {
                    failures.add(where);
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " answers differ:\n" + String.join("\n", failures));
        assertEquals("Ann", json(server.getDoc("default", "users/1")).path("Name").asText(), "the document is intact");
    }

    @Test
    void shouldPointAtTheFaultOnALaterLine() throws Exception {
        byte[] body = "{\n  \"Name\":\n    oops}".getBytes(StandardCharsets.UTF_8);
        for (String[] route : ROUTES) {
            if (route[1].endsWith("bulk_insert") || route[1].endsWith("/import")) {
                continue; // one record per line: the fault there is line 1's unfinished object
            }
            var response = send(route[0], route[1], body);
            JsonNode error = json(response);
            assertEquals(400, response.statusCode(), response.body());
            assertEquals("InvalidJson", error.path("Type").asText(), response.body());
            assertEquals(3, error.path("Line").asInt(), route[1] + ": " + response.body());
            assertTrue(error.path("Line").isInt() && error.path("Column").isInt(), response.body());
            assertTrue(error.path("Column").asInt() >= 5, route[1] + ": " + response.body());
        }
    }

    @Test
    void shouldGiveRqlErrorsNumericPositions() throws Exception {
        var response = server.post("/databases/default/queries", "{\"Query\":\"from Users\\nwhere Name = \"}");
        JsonNode error = json(response);
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("InvalidQuery", error.path("Type").asText());
        assertTrue(error.path("Line").isInt() && error.path("Column").isInt(), response.body());
        assertEquals(2, error.path("Line").asInt(), response.body());
    }

    @Test
    void shouldGiveIndexDefinitionErrorsTheirPosition() throws Exception {
        var response = server.send(server.at("/databases/default/admin/indexes").PUT(HttpRequest.BodyPublishers
                .ofString("{\"Name\":\"Users/ByName\",\"Collection\":\"Users\",\n\"Fields\":{\"Name\":{\"Path\":\"Name\","
                        + "\"Type\":\"Keyword\"},\"Name\":{\"Path\":\"Name\",\"Type\":\"Keyword\"}}}")));
        JsonNode error = json(response);
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("InvalidIndexDefinition", error.path("Type").asText(), response.body());
        assertTrue(error.path("Message").asText().contains("Duplicate field 'Name'"), response.body());
        assertTrue(error.path("Line").isInt(), response.body());
        assertEquals(2, error.path("Line").asInt(), response.body());
    }
}
