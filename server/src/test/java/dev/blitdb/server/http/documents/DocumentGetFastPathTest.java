package dev.blitdb.server.http.documents;

import dev.blitdb.server.http.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IO-thread GET: its response objects are reused (not made per GET), and reuse stays correct when many
 * writes are in flight at once (pipelined requests to clients that read late), when clients abort mid-response,
 * and for ETag / Content-Length of different documents.
 */
class DocumentGetFastPathTest {

    private static final int DOCS = 6;
    /** Fits one 16 KiB response buffer, so the fast path serves it; big enough to fill socket buffers. */
    private static final int BODY = 12_000;

    @TempDir
    static Path tmp;
    static TestServer server;
    static String[] bodies = new String[DOCS];

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(tmp.resolve("data"));
        for (int i = 0; i < DOCS; i++) {
            String fill = String.valueOf((char) ('a' + i)).repeat(BODY);
            assertEquals(201, server.put("default", "fast/" + i, "{\"N\":" + i + ",\"S\":\"" + fill + "\"}")
                    .statusCode());
            bodies[i] = server.getDoc("default", "fast/" + i).body();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldReuseResponseObjectsWhenServingASteadyStreamOfGets() throws Exception {
        try (Socket s = connect()) {
            exchange(s, 50, 0); // warm: every IO thread that serves this connection has its instance
            long before = PooledGetResponse.created();
            exchange(s, 400, 0);
            long made = PooledGetResponse.created() - before;
            assertTrue(made <= 2, "400 sequential GETs made " + made + " response objects; expected reuse");
        }
    }

    @Test
    void shouldKeepResponsesIntactWhenManyWritesAreInFlightAndClientsAbort() throws Exception {
        int connections = 12;
        int perConnection = 40;
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int c = 0; c < connections; c++) {
            int doc = c % DOCS;
            boolean abort = c % 3 == 0;
            Thread t = Thread.ofPlatform().start(() -> {
                try (Socket s = new Socket()) {
                    s.setReceiveBufferSize(4096); // small: the server's writes back up and stay pending
                    s.connect(address(), 10_000);
                    s.setSoTimeout(30_000);
                    OutputStream out = s.getOutputStream();
                    byte[] request = request(doc);
                    for (int i = 0; i < perConnection; i++) {
                        out.write(request); // pipelined, nothing read yet
                    }
                    out.flush();
                    if (abort) {
                        s.getInputStream().readNBytes(1000); // a little, then drop the connection mid-response
                        s.setSoLinger(true, 0);
                        return;
                    }
                    Thread.sleep(200); // read late: the server has pending writes on every connection meanwhile
                    InputStream in = s.getInputStream();
                    for (int i = 0; i < perConnection; i++) {
                        assertEquals(bodies[doc], readResponse(in, doc), "response " + i + " of document " + doc);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertNull(failure.get(), () -> "failed: " + failure.get());
        try (Socket s = connect()) { // after the aborts, responses still carry the right bytes
            exchange(s, 2 * PooledGetResponse.MAX_FREE, 0);
        }
    }

    @Test
    void shouldFindIdsInAnyCasingAndRefuseControlCharactersOnTheFastPath() throws Exception {
        assertEquals(201, server.put("default", "Fast/Mixed-Case", "{\"A\":1}").statusCode());
        assertEquals(201, server.put("default", "fast/\u00c9t\u00e9", "{\"B\":2}").statusCode());
        var ascii = server.getDoc("default", "fAST/mIXED-case"); // the ASCII key made in the thread's scratch
        assertEquals(200, ascii.statusCode());
        assertTrue(ascii.body().contains("\"@id\":\"Fast/Mixed-Case\""), ascii.body());
        var accented = server.getDoc("default", "FAST/\u00e9T\u00c9"); // non-ASCII: the store encodes it
        assertEquals(200, accented.statusCode());
        assertTrue(accented.body().contains("\"B\":2"), accented.body());
        var control = server.get("/databases/default/docs?id=fast%2F%01x");
        assertEquals(400, control.statusCode());
        assertTrue(control.body().contains("control character"), control.body());
        assertEquals(404, server.getDoc("default", "fast/" + "x".repeat(507)).statusCode());
        assertEquals(400, server.getDoc("default", "fast/" + "x".repeat(600)).statusCode());
    }

    @Test
    void shouldGiveAnInstanceBackOnceAndOnlyToTheThreadThatTookIt() throws Exception {
        PooledGetResponse first = PooledGetResponse.take(1024);
        int free = PooledGetResponse.freeOnThisThread();
        first.release();
        first.release(); // idempotent: not in the list twice
        assertEquals(free + 1, PooledGetResponse.freeOnThisThread());
        assertSame(first, PooledGetResponse.take(1024));
        PooledGetResponse second = PooledGetResponse.take(1024);
        assertFalse(first == second);
        Thread other = Thread.ofPlatform().start(second::release); // a callback elsewhere: dropped, not pooled
        other.join();
        first.release();
        assertEquals(free + 1, PooledGetResponse.freeOnThisThread());
        assertFalse(PooledGetResponse.take(1024) == second);
        PooledGetResponse sized = PooledGetResponse.take(2048); // another buffer size: a fresh one of that size
        assertEquals(2048, sized.buffer().capacity());
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(address(), 10_000);
        s.setSoTimeout(30_000);
        return s;
    }

    private static InetSocketAddress address() {
        URI uri = URI.create(server.server.url());
        return new InetSocketAddress(uri.getHost(), uri.getPort());
    }

    private static byte[] request(int doc) {
        return ("GET /databases/default/docs?id=fast/" + doc + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code n} GETs one after another on {@code s}, cycling through the documents; checks every body. */
    private static void exchange(Socket s, int n, int firstDoc) throws IOException {
        for (int i = 0; i < n; i++) {
            int doc = (firstDoc + i) % DOCS;
            s.getOutputStream().write(request(doc));
            assertEquals(bodies[doc], readResponse(s.getInputStream(), doc));
        }
    }

    /** Reads one response with a Content-Length and checks its status and ETag shape; returns the body. */
    private static String readResponse(InputStream in, int doc) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            if (h.length >= 4 && h[h.length - 4] == '\r' && h[h.length - 3] == '\n' && h[h.length - 2] == '\r'
                    && h[h.length - 1] == '\n') {
                break;
            }
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        assertTrue(headers.startsWith("HTTP/1.1 200"), headers);
        int length = -1;
        String etag = null;
        for (String line : headers.split("\r\n")) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            } else if (lower.startsWith("etag:")) {
                etag = line.substring(5).trim();
            }
        }
        assertTrue(length > BODY, "Content-Length " + length + " in " + headers);
        assertTrue(etag != null && etag.startsWith("\"A:") && etag.endsWith("\""), "ETag of document " + doc + ": "
                + etag);
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
