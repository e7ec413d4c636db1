package dev.blitdb.server.http.operations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blitdb.server.http.TestServer;
import dev.blitdb.server.operations.Operation;
import dev.blitdb.server.operations.OperationKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /operations} over HTTP: the documented JSON shape, list, 404/400, cancel (202, then 409). */
class OperationRoutesTest {

    @TempDir
    Path tmp;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(tmp);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldShowProgressListAndCancelAnOperation() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Operation op = server.server.databases().operations().start(OperationKind.Compact, "default", "a test job",
                p -> {
                    p.unit("pages");
                    p.total(1000);
                    p.processed(250);
                    p.addBytes(250 * 4096);
                    started.countDown();
                    for (; ; ) {
                        p.checkCancelled();
                        Thread.sleep(5);
                    }
                });
        started.await();
        JsonNode o = TestServer.json(server.get("/operations/" + op.id()));
        assertEquals(op.id(), o.get("Id").asLong());
        assertEquals("Compact", o.get("Kind").asText());
        assertEquals("Running", o.get("State").asText());
        assertEquals(250, o.get("Progress").get("Processed").asLong());
        assertEquals(1000, o.get("Progress").get("Total").asLong());
        assertEquals(25.0, o.get("Progress").get("Percent").asDouble());
        assertTrue(o.get("Progress").has("BytesPerSecond") && o.get("Progress").has("EtaSeconds"), o.toString());
        assertTrue(server.get("/operations").body().contains("\"Id\":" + op.id()));
        assertTrue(server.get("/operations?database=other").body().contains("\"Operations\":[]"));

        var cancel = server.post("/operations/" + op.id() + "/cancel", "");
        assertEquals(202, cancel.statusCode(), cancel.body());
        assertTrue(op.await(10_000));
        JsonNode done = TestServer.json(server.get("/operations/" + op.id()));
        assertEquals("Cancelled", done.get("State").asText());
        assertEquals("OperationCancelled", done.get("Error").get("Type").asText());
        assertEquals(409, server.post("/operations/" + op.id() + "/cancel", "").statusCode());
    }

    @Test
    void shouldShowTheResultOfACompletedOperation() throws Exception {
        Operation op = server.server.databases().operations().start(OperationKind.Export, null, "done",
                p -> Map.of("Documents", 3L, "Files", java.util.List.of("a", "b")));
        assertTrue(op.await(10_000));
        JsonNode o = TestServer.json(server.get("/operations/" + op.id()));
        assertEquals("Completed", o.get("State").asText());
        assertEquals(3, o.get("Result").get("Documents").asLong());
        assertEquals("[\"a\",\"b\"]", o.get("Result").get("Files").toString());
    }

    @Test
    void shouldAnswerUnknownAndMalformedIds() throws Exception {
        var missing = server.get("/operations/12345");
        assertEquals(404, missing.statusCode());
        assertTrue(TestServer.json(missing).get("Message").asText().contains("no operation 12345"));
        assertEquals(400, server.get("/operations/abc").statusCode());
        assertEquals(404, server.post("/operations/999/cancel", "").statusCode());
    }
}
