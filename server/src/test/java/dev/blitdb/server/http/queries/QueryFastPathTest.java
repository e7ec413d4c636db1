package dev.blitdb.server.http.queries;

import dev.blitdb.server.BlitDbServer;
import dev.blitdb.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Queries answered on the IO thread ({@link QueryFastPath}) give exactly the worker path's answer, and whatever
 * the IO thread must not do — wait for a body still in flight, create an automatic index, send an answer larger
 * than its buffers, report an error — is answered by the worker, with the body the IO thread already read.
 */
class QueryFastPathTest {

    private static final String INDEX = """
            {"Name":"Users/Q","Collection":"Users","Fields":{"Name":{"Path":"Name","Type":"Keyword"},
            "City":{"Path":"City","Type":"Keyword"},"Age":{"Path":"Age","Type":"Long"}}}""";

    @TempDir
    Path data;
    private BlitDbServer server;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        server = BlitDbServer.start(new ServerConfig("127.0.0.1", 0, data, false));
        http = HttpClient.newHttpClient();
        for (int i = 0; i < 40; i++) {
            put("users/" + i, "{\"Name\":\"name-" + i + "\",\"City\":\"city-" + (i % 4) + "\",\"Age\":" + (20 + i % 10)
                    + ",\"Bio\":\"" + "x".repeat(i == 7 ? 150_000 : 100) + "\",\"@metadata\":{\"@collection\":\"Users\"}}");
        }
        var created = send("PUT", "/databases/default/admin/indexes", INDEX);
        assertEquals(201, created.statusCode(), created.body());
        // Waits on a worker until the index has caught up, so the queries below are not stale.
        assertTrue(post(body("from index 'Users/Q' where Name = $n", "{\"n\":\"name-1\"}", true)).body()
                .contains("\"IsStale\":false"));
    }

    @AfterEach
    void stop() {
        http.close();
        server.close();
    }

    @Test
    void shouldAnswerOnTheIoThreadExactlyAsTheWorkerDoes() throws Exception {
        String[][] queries = {
                {"from index 'Users/Q' where Name = $n limit 1", "{\"n\":\"name-5\"}"},
                {"from index 'Users/Q' where City = $c and Age between $lo and $hi order by Age desc limit 5",
                        "{\"c\":\"city-1\",\"lo\":21,\"hi\":27}"},
                {"from index 'Users/Q' where City = 'city-2' order by Name select Name, Age as Years limit 3 offset 1",
                        null},
                {"from index 'Users/Q' where Name = 'nobody'", null},
        };
        for (String[] q : queries) {
            long before = QueryFastPath.ANSWERED_INLINE.sum();
            var inline = post(body(q[0], q[1], false));
            assertEquals(before + 1, QueryFastPath.ANSWERED_INLINE.sum(), "answered on the IO thread: " + q[0]);
            var worker = post(body(q[0], q[1], true)); // waiting for non-stale results always goes to a worker
            assertEquals(before + 1, QueryFastPath.ANSWERED_INLINE.sum(), "answered by a worker: " + q[0]);
            assertEquals(200, inline.statusCode(), inline.body());
            assertEquals(withoutDuration(worker.body()), withoutDuration(inline.body()), q[0]);
            assertEquals(String.valueOf(inline.body().getBytes(StandardCharsets.UTF_8).length),
                    inline.headers().firstValue("Content-Length").orElse("none"), "sent with its length");
        }
        assertTrue(post(body(queries[0][0], queries[0][1], false)).body()
                .matches("\\{\"Results\":\\[\\{\"Name\":\"name-5\".*\"TotalResults\":1,\"SkippedResults\":0,"
                        + "\"IsStale\":false,\"IndexName\":\"Users/Q\",\"DurationInMs\":\\d+}"));

        long before = QueryFastPath.ANSWERED_INLINE.sum();
        var get = send("GET", "/databases/default/queries?query="
                + URLEncoder.encode("from index 'Users/Q' where City = 'city-3' limit 2", StandardCharsets.UTF_8), null);
        assertEquals(200, get.statusCode(), get.body());
        assertEquals(before + 1, QueryFastPath.ANSWERED_INLINE.sum());
        assertTrue(get.body().contains("\"TotalResults\":10"), get.body());
    }

    @Test
    void shouldReuseResponsesForASteadyStreamOfOneAndSeveralBufferAnswers() throws Exception {
        for (int i = 0; i < 20; i++) { // 20 × ~2 KB: an answer of three 16 KiB buffers
            put("users/big-" + i, "{\"Name\":\"big-" + i + "\",\"City\":\"city-9\",\"Age\":50,\"Bio\":\""
                    + "y".repeat(2000) + "\",\"@metadata\":{\"@collection\":\"Users\"}}");
        }
        String[] rql = {"from index 'Users/Q' where City = 'city-9' order by Name", "from index 'Users/Q' where Name = "
                + "'name-5' limit 1"};
        String[] expected = new String[2];
        for (int q = 0; q < 2; q++) {
            var worker = post(body(rql[q], null, true)); // waits until indexed: the worker's answer is the reference
            assertEquals(200, worker.statusCode(), worker.body());
            expected[q] = withoutDuration(worker.body());
        }
        assertTrue(expected[0].contains("\"TotalResults\":20") && expected[0].length() > 2 * 16 * 1024,
                expected[0].length() + " bytes");
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long created = 0;
            long inline = QueryFastPath.ANSWERED_INLINE.sum();
            for (int i = 0; i < 240; i++) {
                if (i == 40) { // warm: the IO thread serving this connection has made what it needs
                    created = PooledQueryResponse.created();
                }
                byte[] json = body(rql[i % 2], null, false).getBytes(StandardCharsets.UTF_8);
                out.write(("POST /databases/default/queries HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                        + "application/json\r\nContent-Length: " + json.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(json);
                out.flush();
                String response = readResponse(in);
                assertTrue(response.startsWith("HTTP/1.1 200"), response);
                assertEquals(expected[i % 2], withoutDuration(response.substring(response.indexOf("\r\n\r\n") + 4)),
                        "answer " + i);
            }
            assertEquals(inline + 240, QueryFastPath.ANSWERED_INLINE.sum(), "all answered on the IO thread");
            long made = PooledQueryResponse.created() - created;
            assertTrue(made <= 2, "200 sequential inline queries made " + made + " responses; expected reuse");
        }
    }

    @Test
    void shouldHandTheWorkerWhatTheIoThreadMustNotDo() throws Exception {
        long before = QueryFastPath.ANSWERED_INLINE.sum();
        // Larger than eight pooled buffers (one 150 KB document among 40): streamed by a worker, complete.
        var big = post(body("from index 'Users/Q' where Age >= 0 order by Name", null, false));
        assertEquals(200, big.statusCode(), big.body());
        assertTrue(big.body().contains("\"TotalResults\":40") && big.body().contains("\"name-39\""), big.body());
        // A collection query that creates its automatic index first.
        var auto = post(body("from Users where Age = 25", null, false));
        assertEquals(200, auto.statusCode(), auto.body());
        assertTrue(auto.body().contains("\"IndexName\":\"Auto/Users/ByAge\""), auto.body());
        // Errors come from the worker, which reads the body the IO thread gave back.
        var bad = post("{\"Query\":\"from index 'Users/Q' where\"");
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().startsWith("{\"Type\":\"InvalidJson\""), bad.body());
        var syntax = post(body("from index 'Users/Q' where Name = ", null, false));
        assertEquals(400, syntax.statusCode(), syntax.body());
        assertTrue(syntax.body().contains("line 1"), syntax.body());
        var unknown = post(body("from index 'Users/Q' where Nope = 1", null, false));
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("has no field 'Nope'"), unknown.body());
        assertEquals(before, QueryFastPath.ANSWERED_INLINE.sum(), "none of these was answered on the IO thread");
    }

    @Test
    void shouldAnswerABodyThatArrivesInPiecesAndKeepTheConnection() throws Exception {
        byte[] json = body("from index 'Users/Q' where Name = $n", "{\"n\":\"name-9\"}", false)
                .getBytes(StandardCharsets.UTF_8);
        String head = "POST /databases/default/queries HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + json.length + "\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(json, 0, 10); // the IO thread sees only part of the body: the worker must read the rest
            out.flush();
            Thread.sleep(300);
            out.write(json, 10, json.length - 10);
            out.flush();
            String first = readResponse(in);
            assertTrue(first.startsWith("HTTP/1.1 200"), first);
            assertTrue(first.contains("\"Name\":\"name-9\"") && first.contains("\"TotalResults\":1"), first);
            // The same connection then serves a whole request inline.
            long before = QueryFastPath.ANSWERED_INLINE.sum();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(json);
            out.flush();
            String second = readResponse(in);
            assertTrue(second.contains("\"Name\":\"name-9\"") && second.contains("\"TotalResults\":1"), second);
            assertEquals(before + 1, QueryFastPath.ANSWERED_INLINE.sum());
        }
    }

    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        var length = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(headers);
        if (length.find()) {
            body.write(in.readNBytes(Integer.parseInt(length.group(1))));
        } else { // chunked
            while (true) {
                StringBuilder size = new StringBuilder();
                for (int b; (b = in.read()) != '\n'; ) {
                    size.append((char) b);
                }
                int n = Integer.parseInt(size.toString().trim(), 16);
                body.write(in.readNBytes(n));
                in.readNBytes(2);
                if (n == 0) {
                    break;
                }
            }
        }
        return headers + body.toString(StandardCharsets.UTF_8);
    }

    private static String withoutDuration(String json) {
        return json.replaceAll("\"DurationInMs\":\\d+", "\"DurationInMs\":0");
    }

    private static String body(String rql, String parameters, boolean wait) {
        return "{\"Query\":\"" + rql + "\"" + (parameters == null ? "" : ",\"QueryParameters\":" + parameters)
                + (wait ? ",\"WaitForNonStaleResults\":true" : "") + "}";
    }

    private HttpResponse<String> post(String body) throws Exception {
        return send("POST", "/databases/default/queries", body);
    }

    private void put(String id, String json) throws Exception {
        assertEquals(201, send("PUT", "/databases/default/docs?id=" + id, json).statusCode());
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
