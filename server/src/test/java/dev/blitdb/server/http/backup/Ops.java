package dev.blitdb.server.http.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blitdb.server.http.TestServer;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Test helpers: start an operation through a route and wait for its end through {@code /operations/{id}}. */
final class Ops {

    private Ops() {
    }

    static long accepted(HttpResponse<String> response) {
        assertEquals(202, response.statusCode(), response.body());
        long id = TestServer.json(response).get("OperationId").asLong();
        assertEquals("/operations/" + id, response.headers().firstValue("Location").orElseThrow());
        return id;
    }

    static JsonNode await(TestServer server, long id) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            var r = server.get("/operations/" + id);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode op = TestServer.json(r);
            if (!op.get("State").asText().equals("Running")) {
                return op;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("operation " + id + " still running after 60 s");
    }

    static JsonNode completed(TestServer server, long id) throws Exception {
        JsonNode op = await(server, id);
        assertEquals("Completed", op.get("State").asText(), op.toString());
        return op.get("Result");
    }
}
