package dev.blitdb.server.http;

import dev.blitdb.server.http.body.RequestBodyReader;
import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.errors.ApiException;
import dev.blitdb.server.http.routing.Blocking;
import dev.blitdb.server.http.routing.RouteTable;
import io.undertow.Undertow;
import io.undertow.util.Methods;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The route table, error bodies and the body reader, on a real Undertow listener and a real HTTP client. */
class HttpPlumbingTest {

    private static final int LIMIT = 64 << 10;
    private static Undertow undertow;
    private static String base;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        var reader = new RequestBodyReader(LIMIT);
        var routes = new RouteTable()
                .add(Methods.POST, "/echo/{name}", Blocking.dispatch(exchange -> {
                    var body = reader.read(exchange);
                    String name = RouteTable.pathParameter(exchange, "name");
                    exchange.getResponseSender().send(name + ":" + body.length() + ":"
                            + Arrays.hashCode(Arrays.copyOf(body.array(), body.length())));
                }))
                .add(Methods.GET, "/echo/{name}", Blocking.dispatch(exchange -> {
                    throw new ApiException(ApiError.CONCURRENCY_CONFLICT, "line 1\n\"quoted\" \u0001 \ud800 done");
                }))
                .add(Methods.GET, "/boom", Blocking.nonBlocking(exchange -> {
                    throw new IllegalStateException("kaput");
                }))
                .add(Methods.GET, "/deep", Blocking.dispatch(exchange -> recurse(0)))
                .build();
        undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(routes).build();
        undertow.start();
        int port = ((InetSocketAddress) undertow.getListenerInfo().getFirst().getAddress()).getPort();
        base = "http://127.0.0.1:" + port;
        http = HttpClient.newHttpClient();
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    @AfterAll
    static void stop() {
        http.close();
        undertow.stop();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create(base + path));
    }

    @Test
    void shouldAnswerUnknownPathsWith404Json() throws Exception {
        var response = send(at("/nope?x=1"));
        assertEquals(404, response.statusCode());
        assertTrue(response.body().startsWith("{\"Type\":\"NotFound\",\"Message\":\"no route for GET /nope"),
                response.body());
        assertTrue(response.body().endsWith(",\"Url\":\"/nope?x=1\"}"), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
    }

    @Test
    void shouldAnswerWrongMethodWith405AndAllow() throws Exception {
        var response = send(at("/echo/a").DELETE());
        assertEquals(405, response.statusCode());
        assertEquals("GET, POST", response.headers().firstValue("Allow").orElseThrow());
        assertTrue(response.body().contains("\"Type\":\"MethodNotAllowed\""), response.body());
    }

    @Test
    void shouldEscapeMessagesInErrorBodies() throws Exception {
        var response = send(at("/echo/a"));
        assertEquals(409, response.statusCode());
        assertEquals("{\"Type\":\"Concurrency\",\"Message\":\"line 1\\n\\\"quoted\\\" \\u0001 \\ufffd done\","
                + "\"Url\":\"/echo/a\"}", response.body());
    }

    @Test
    void shouldMapUnexpectedExceptionsTo500WithoutTrace() throws Exception {
        var response = send(at("/boom"));
        assertEquals(500, response.statusCode());
        assertTrue(response.body().contains("IllegalStateException: kaput"), response.body());
        assertTrue(!response.body().contains("at dev.blitdb"), response.body());
    }

    @Test
    void shouldTurnStackOverflowInto400() throws Exception {
        var response = send(at("/deep"));
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("nested too deeply"), response.body());
    }

    @Test
    void shouldReadBodiesUpToTheLimitExactly() throws Exception {
        for (int size : new int[] {0, 1, 16 << 10, (16 << 10) + 1, LIMIT}) {
            byte[] body = new byte[size];
            Arrays.fill(body, (byte) 'x');
            var response = send(at("/echo/n").POST(HttpRequest.BodyPublishers.ofByteArray(body)));
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("n:" + size + ":" + Arrays.hashCode(body), response.body());
        }
    }

    @Test
    void shouldRefuseAnOversizedBodyFromContentLengthWith413() throws Exception {
        var response = send(at("/echo/n").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[LIMIT + 1])));
        assertEquals(413, response.statusCode());
        assertTrue(response.body().contains("\"Type\":\"RequestTooLarge\""), response.body());
        assertTrue(response.body().contains("is " + (LIMIT + 1) + " bytes; the limit is " + LIMIT), response.body());
    }

    @Test
    void shouldRefuseAnOversizedChunkedBodyWithoutReadingItAll() throws Exception {
        // An endless chunked body: the server must answer 413 instead of reading forever.
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'y';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) 'y');
                return len;
            }
        };
        var response = http.send(at("/echo/n").POST(HttpRequest.BodyPublishers.ofInputStream(() -> endless))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(413, response.statusCode());
        assertTrue(response.body().contains("more than " + LIMIT + " bytes"), response.body());
    }
}
