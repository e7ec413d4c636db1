package dev.blitdb.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.blitdb.server.http.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Document GET / HEAD / PUT / DELETE, ETags, If-Match, paging, stats and hi-lo against a real server. */
class DocumentRoutesTest {

    @TempDir
    static Path tmp;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(tmp.resolve("data"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldPutThenGetTheDocumentWithMetadataStampedByTheServer() throws Exception {
        var put = server.put("default", "users/1", "{\"Name\":\"Ann\",\"Age\":34,\"@metadata\":{\"@collection\":\"Users\"}}");
        assertEquals(201, put.statusCode(), put.body());
        JsonNode created = json(put);
        assertEquals("users/1", created.get("Id").asText());
        String cv = created.get("ChangeVector").asText();
        assertTrue(cv.startsWith("A:"), cv);
        assertEquals("\"" + cv + "\"", put.headers().firstValue("ETag").orElseThrow());

        var get = server.getDoc("default", "USERS/1");
        assertEquals(200, get.statusCode(), get.body());
        assertTrue(get.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertEquals("\"" + cv + "\"", get.headers().firstValue("ETag").orElseThrow());
        JsonNode doc = json(get);
        assertEquals("Ann", doc.get("Name").asText());
        assertEquals(34, doc.get("Age").asInt());
        JsonNode meta = doc.get("@metadata");
        assertEquals("users/1", meta.get("@id").asText());
        assertEquals("Users", meta.get("@collection").asText());
        assertEquals(cv, meta.get("@change-vector").asText());
        assertTrue(meta.hasNonNull("@last-modified"), doc.toString());
    }

    @Test
    void shouldPutIntoEmptyCollectionWithoutMetadataAndKeepPropertyOrder() throws Exception {
        assertEquals(201, server.put("default", "misc/order", "{\"b\":1,\"a\":[1,2.5,\"x\",null,true]}").statusCode());
        var get = server.getDoc("default", "misc/order");
        assertTrue(get.body().startsWith("{\"b\":1,\"a\":[1,2.5,\"x\",null,true]"), get.body());
        assertEquals("@empty", json(get).get("@metadata").get("@collection").asText());
    }

    @Test
    void shouldAnswerExpect100ContinueForAcceptedAndRefusedWrites() throws Exception {
        String body = "{\"s\":\"" + "c".repeat(5000) + "\"}";
        // The interim answer comes to the head alone, before any byte of the body was sent (no client timer involved).
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.server.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("PUT /databases/default/docs?id=continue/raw HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length()
                    + "\r\nExpect: 100-continue\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.InputStream in = socket.getInputStream();
            assertEquals("HTTP/1.1 100 Continue", readLine(in));
            assertEquals("", readLine(in));
            socket.getOutputStream().write(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 201 Created", readLine(in));
        }
        var accepted = server.send(server.at(server.docs("default", "continue/1")).expectContinue(true)
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(201, accepted.statusCode(), accepted.body());
        var refused = server.send(server.at(server.docs("nodb", "continue/1")).expectContinue(true)
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(404, refused.statusCode(), refused.body());
        assertEquals(5000, json(server.getDoc("default", "continue/1")).get("s").asText().length());
    }

    @Test
    void shouldRoundTripIdsWithCharactersThatNeedPercentEncoding() throws Exception {
        String id = "odd/a b+c&d=e?f#g%h/\u00e9\u2603";
        var put = server.put("default", id, "{\"x\":1}");
        assertEquals(201, put.statusCode(), put.body());
        assertEquals(id, json(put).get("Id").asText());
        var get = server.getDoc("default", id.toUpperCase(java.util.Locale.ROOT));
        assertEquals(200, get.statusCode(), get.body());
        assertEquals(id, json(get).get("@metadata").get("@id").asText());
        assertEquals(1, json(server.get("/databases/default/docs?startsWith=" + TestServer.enc("odd/a b+")))
                .get("Results").size());
    }

    @Test
    void shouldAnswer404ForAMissingDocumentAndHeadWithoutBody() throws Exception {
        var missing = server.getDoc("default", "nobody/here");
        assertEquals(404, missing.statusCode());
        assertEquals("NotFound", json(missing).get("Type").asText());

        server.put("default", "head/1", "{\"x\":1}");
        var head = server.send(server.at(server.docs("default", "head/1")).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals(server.getDoc("default", "head/1").body().length(),
                head.headers().firstValueAsLong("Content-Length").orElseThrow());
        assertTrue(head.headers().firstValue("ETag").orElseThrow().startsWith("\"A:"));
        var headMissing = server.send(server.at(server.docs("default", "head/none"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(404, headMissing.statusCode());
    }

    @Test
    void shouldAnswer304WhenIfNoneMatchNamesTheCurrentChangeVector() throws Exception {
        String cv = json(server.put("default", "etag/1", "{\"v\":1}")).get("ChangeVector").asText();
        var notModified = server.send(server.at(server.docs("default", "etag/1")).header("If-None-Match", "\"" + cv + "\""));
        assertEquals(304, notModified.statusCode());
        assertEquals("", notModified.body());
        server.put("default", "etag/1", "{\"v\":2}");
        var changed = server.send(server.at(server.docs("default", "etag/1")).header("If-None-Match", "\"" + cv + "\""));
        assertEquals(200, changed.statusCode());
        assertEquals(2, json(changed).get("v").asInt());
    }

    @Test
    void shouldHonourIfMatchOnPutAndDeleteWith409NamingBothChangeVectors() throws Exception {
        String first = json(server.put("default", "cc/1", "{\"v\":1}")).get("ChangeVector").asText();
        String second = json(server.send(server.at(server.docs("default", "cc/1")).header("If-Match", "\"" + first + "\"")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"v\":2}")))).get("ChangeVector").asText();
        assertNotEquals(first, second);

        var stale = server.send(server.at(server.docs("default", "cc/1")).header("If-Match", first)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"v\":3}")));
        assertEquals(409, stale.statusCode(), stale.body());
        JsonNode error = json(stale);
        assertEquals("Concurrency", error.get("Type").asText());
        assertEquals("cc/1", error.get("Id").asText());
        assertEquals(first, error.get("ExpectedChangeVector").asText());
        assertEquals(second, error.get("ActualChangeVector").asText());
        assertEquals(2, json(server.getDoc("default", "cc/1")).get("v").asInt());

        var mustNotExist = server.send(server.at(server.docs("default", "cc/1")).header("If-Match", "\"\"")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"v\":4}")));
        assertEquals(409, mustNotExist.statusCode());
        var createNew = server.send(server.at(server.docs("default", "cc/new")).header("If-Match", "\"\"")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"v\":1}")));
        assertEquals(201, createNew.statusCode());

        var staleDelete = server.send(server.at(server.docs("default", "cc/1")).header("If-Match", first).DELETE());
        assertEquals(409, staleDelete.statusCode());
        assertEquals(200, server.getDoc("default", "cc/1").statusCode());
        var delete = server.send(server.at(server.docs("default", "cc/1")).header("If-Match", second).DELETE());
        assertEquals(204, delete.statusCode());
        assertEquals(404, server.getDoc("default", "cc/1").statusCode());
        assertEquals(204, server.delete("default", "cc/never-existed").statusCode());
    }

    @Test
    void shouldAnswerTheSameBytesOnTheIoThreadPathAndTheWorkerPath() throws Exception {
        String body = "{\"z\":\"\\\"quoted\\\" \\u0001 \u00e9\u2603\",\"n\":[-0,1e400,12.50,18446744073709551616],"
                + "\"o\":{\"b\":true,\"a\":null}}";
        assertEquals(201, server.put("default", "same/bytes", body).statusCode());
        String single = server.getDoc("default", "same/bytes").body(); // IO-thread path (resident, small)
        String multi = server.get("/databases/default/docs?id=same/bytes&id=same/bytes").body(); // worker path
        assertEquals("{\"Results\":[" + single + "," + single + "]}", multi);
        assertTrue(single.startsWith("{\"z\":\"\\\"quoted\\\" \\u0001 \u00e9\u2603\","), single);

        // A document larger than one response buffer goes to the worker path, streamed in chunks.
        String big = "{\"s\":\"" + "y".repeat(200_000) + "\"}";
        assertEquals(201, server.put("default", "same/big", big).statusCode());
        var bigGet = server.getDoc("default", "same/big");
        assertEquals(200, bigGet.statusCode());
        assertEquals(200_000, json(bigGet).get("s").asText().length());
    }

    @Test
    void shouldLoadSeveralIdsWithNullForMissingOnes() throws Exception {
        server.put("default", "multi/1", "{\"n\":1}");
        server.put("default", "multi/2", "{\"n\":2}");
        var response = server.get("/databases/default/docs?id=multi/1&id=multi/none&id=MULTI/2");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode results = json(response).get("Results");
        assertEquals(3, results.size());
        assertEquals(1, results.get(0).get("n").asInt());
        assertTrue(results.get(1).isNull());
        assertEquals(2, results.get(2).get("n").asInt());

        StringBuilder many = new StringBuilder("/databases/default/docs?id=multi/1");
        for (int i = 1; i < 1024; i++) {
            many.append("&id=multi/").append(i % 3);
        }
        var full = server.get(many.toString());
        assertEquals(200, full.statusCode(), full.body());
        assertEquals(1024, json(full).get("Results").size());
        var tooMany = server.get(many + "&id=multi/1");
        assertEquals(400, tooMany.statusCode(), tooMany.body());
        assertTrue(tooMany.body().contains("at most 1024"), tooMany.body());
    }

    @Test
    void shouldPageByIdPrefixAndByEtag() throws Exception {
        server.createDatabase("paging");
        for (int i = 0; i < 30; i++) {
            assertEquals(201, server.put("paging", String.format("orders/%03d", i), "{\"i\":" + i + "}").statusCode());
            assertEquals(201, server.put("paging", String.format("other/%03d", i), "{\"i\":" + i + "}").statusCode());
        }
        List<Integer> seen = new ArrayList<>();
        for (int start = 0; ; start += 7) {
            JsonNode page = json(server.get("/databases/paging/docs?startsWith=ORDERS/&start=" + start + "&pageSize=7"))
                    .get("Results");
            page.forEach(d -> seen.add(d.get("i").asInt()));
            if (page.size() < 7) {
                break;
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            expected.add(i);
        }
        assertEquals(expected, seen);

        JsonNode byEtag = json(server.get("/databases/paging/docs?start=2&pageSize=3")).get("Results");
        assertEquals(3, byEtag.size());
        // write order: orders/000, other/000, orders/001, other/001, orders/002, ...
        assertEquals("orders/001", byEtag.get(0).get("@metadata").get("@id").asText());
        assertEquals("other/001", byEtag.get(1).get("@metadata").get("@id").asText());
        assertEquals("orders/002", byEtag.get(2).get("@metadata").get("@id").asText());
        JsonNode all = json(server.get("/databases/paging/docs?pageSize=1024")).get("Results");
        assertEquals(60, all.size());
        assertEquals(0, json(server.get("/databases/paging/docs?startsWith=zzz")).get("Results").size());
        assertEquals(400, server.get("/databases/paging/docs?pageSize=-1").statusCode());
        assertEquals(400, server.get("/databases/paging/docs?pageSize=abc").statusCode());
        assertEquals(400, server.get("/databases/paging/docs?startsWith=a&fromEtag=3").statusCode());
    }

    @Test
    void shouldReportDatabaseAndCollectionStats() throws Exception {
        server.createDatabase("stats");
        for (int i = 0; i < 5; i++) {
            server.put("stats", "users/" + i, "{\"@metadata\":{\"@collection\":\"Users\"}}");
        }
        server.put("stats", "orders/1", "{\"@metadata\":{\"@collection\":\"Orders\"}}");
        server.put("stats", "loose", "{}");
        server.delete("stats", "users/4");
        JsonNode stats = json(server.get("/databases/stats/stats"));
        assertEquals("stats", stats.get("Database").asText());
        assertEquals(6, stats.get("CountOfDocuments").asLong());
        assertEquals(1, stats.get("CountOfTombstones").asLong());
        assertEquals(8, stats.get("LastEtag").asLong());
        assertEquals(3, stats.get("CountOfCollections").asLong());
        assertTrue(stats.get("SizeOnDiskBytes").asLong() > 0);
        assertTrue(stats.get("Merger").get("Commits").asLong() >= 1);
        JsonNode collections = json(server.get("/databases/stats/collections/stats"));
        assertEquals(6, collections.get("CountOfDocuments").asLong());
        assertEquals(4, collections.get("Collections").get("Users").asLong());
        assertEquals(1, collections.get("Collections").get("Orders").asLong());
        assertEquals(1, collections.get("Collections").get("@empty").asLong());
    }

    @Test
    void shouldReserveHiLoRangesThatNeverOverlap() throws Exception {
        JsonNode first = json(server.get("/databases/default/hilo/next?tag=users"));
        JsonNode second = json(server.get("/databases/default/hilo/next?tag=Users&size=100"));
        assertEquals(32, first.get("Last").asLong() - first.get("First").asLong() + 1);
        assertEquals(first.get("Last").asLong() + 1, second.get("First").asLong());
        assertEquals(100, second.get("Last").asLong() - second.get("First").asLong() + 1);
        assertEquals(400, server.get("/databases/default/hilo/next").statusCode());
        assertEquals(400, server.get("/databases/default/hilo/next?tag=users&size=0").statusCode());
        assertEquals(404, server.get("/databases/nope/hilo/next?tag=users").statusCode());
    }

    @Test
    void shouldAnswerWrongMethodsWith405AndAllow() throws Exception {
        HttpResponse<String> post = server.post("/databases/default/docs?id=a", "{}");
        assertEquals(405, post.statusCode());
        assertEquals("DELETE, GET, HEAD, PUT", post.headers().firstValue("Allow").orElseThrow());
        assertEquals(405, server.get("/databases/default/bulk_docs").statusCode());
        assertEquals(404, server.get("/databases/default/nothing").statusCode());
        assertFalse(server.get("/databases").body().isEmpty());
    }

    /** One CRLF-terminated line of a raw HTTP answer, without the CRLF. */
    private static String readLine(java.io.InputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new java.io.EOFException("the connection ended inside a line: " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
