package dev.blitdb.server.http.tls;

import dev.blitdb.server.BlitDbServer;
import dev.blitdb.server.config.SecurityOptions;
import dev.blitdb.server.config.ServerConfig;
import dev.blitdb.server.security.TlsFixture;
import dev.blitdb.server.security.tls.Pem;
import dev.blitdb.server.security.tls.TlsEngine;
import dev.blitdb.server.security.tls.TlsFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our HTTPS listener ({@link TlsConduit}) end to end with real TLS clients (JSSE sockets, the JDK's HttpClient on
 * HTTP/1.1 and HTTP/2, curl): both protocols, pipelining, bodies of many records both ways, a client that reads
 * slowly, clients that vanish mid-request and mid-response, renegotiation, and close_notify.
 */
class HttpsListenerTest {

    private static final String BIG = "x".repeat(3 << 20); // ~3 MB: ~190 TLS records each way

    @TempDir
    Path dir;
    TlsFixture tls;
    BlitDbServer server;

    TlsEngine engine() {
        return TlsEngine.JDK;
    }

    @BeforeEach
    void start() throws IOException {
        tls = new TlsFixture(dir.resolve("certs"));
        server = BlitDbServer.start(new ServerConfig("127.0.0.1", 0, dir.resolve("data"), false)
                .withSecurity(new SecurityOptions(new TlsFiles.PemFiles(tls.certFile, tls.keyFile), false, null, -1,
                        engine())));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SSLSocket socket(String protocol) throws IOException {
        var context = TlsFixture.context(tls.ca.certificate(), null, "TLS");
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.port());
        socket.setEnabledProtocols(new String[] {protocol});
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static void send(OutputStream out, String request) throws IOException {
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String get(String path, boolean close) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
    }

    /** One HTTP/1.1 response: status line and headers, then its body (Content-Length bytes, or the chunks). */
    static String readResponse(InputStream in) throws IOException {
        String head = readLine(in, "\r\n\r\n");
        int length = 0;
        boolean chunked = false;
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (!chunked) {
            return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
        var body = new java.io.ByteArrayOutputStream();
        int size;
        while ((size = Integer.parseInt(readLine(in, "\r\n").trim(), 16)) > 0) {
            body.write(in.readNBytes(size));
            readLine(in, "\r\n");
        }
        readLine(in, "\r\n"); // the empty trailer
        return head + body.toString(StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in, String end) throws IOException {
        StringBuilder line = new StringBuilder();
        while (!line.toString().endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended inside a response head: " + line);
            }
            line.append((char) b);
        }
        return line.toString();
    }

    private void putBig(String id) throws Exception {
        try (HttpClient client = TlsFixture.http(TlsFixture.context(tls.ca.certificate(), null),
                HttpClient.Version.HTTP_1_1)) {
            var response = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/databases/default/docs?id="
                    + id)).PUT(HttpRequest.BodyPublishers.ofString("{\"Big\":\"" + BIG + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, response.statusCode(), response.body());
        }
    }

    @Test
    void shouldAnswerHttp11OverTls13AndTls12AndCloseWithCloseNotify() throws Exception {
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            try (SSLSocket socket = socket(protocol)) {
                send(socket.getOutputStream(), get("/health", true));
                // readAllBytes ends normally only at the server's close_notify: a bare TCP close is an SSLException.
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
                assertEquals(protocol, socket.getSession().getProtocol());
            }
        }
    }

    @Test
    void shouldAnswerPipelinedRequestsInOrder() throws Exception {
        try (SSLSocket socket = socket("TLSv1.3")) {
            send(socket.getOutputStream(), get("/health", false) + get("/databases/default/docs?id=none", false)
                    + get("/health", true)); // three requests in one TLS record
            InputStream in = socket.getInputStream();
            assertTrue(readResponse(in).startsWith("HTTP/1.1 200"));
            assertTrue(readResponse(in).startsWith("HTTP/1.1 404"));
            assertTrue(readResponse(in).startsWith("HTTP/1.1 200"));
            assertEquals(-1, in.read());
        }
    }

    @Test
    void shouldCarryBodiesOfManyRecordsBothWaysOnHttp11AndHttp2() throws Exception {
        putBig("big");
        for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)) {
            try (HttpClient client = TlsFixture.http(TlsFixture.context(tls.ca.certificate(), null), version)) {
                var put = client.send(HttpRequest.newBuilder(URI.create(server.url()
                        + "/databases/default/docs?id=big-" + version)).PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"Big\":\"" + BIG + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(201, put.statusCode(), put.body());
                assertEquals(version, put.version());
                for (String id : List.of("big", "big-" + version)) {
                    var doc = client.send(HttpRequest.newBuilder(URI.create(server.url()
                            + "/databases/default/docs?id=" + id)).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, doc.statusCode());
                    assertTrue(doc.body().contains("\"Big\":\"" + BIG + "\""), "the whole document came back");
                }
            }
        }
    }

    @Test
    void shouldFinishALargeAnswerToAClientThatReadsSlowly() throws Exception {
        putBig("big");
        var context = TlsFixture.context(tls.ca.certificate(), null, "TLS");
        try (Socket tcp = new Socket()) {
            tcp.setReceiveBufferSize(4096); // the server's writes fill the socket and wait for writability
            tcp.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(tcp, "127.0.0.1",
                    server.port(), true)) {
                socket.setSoTimeout(20_000);
                send(socket.getOutputStream(), get("/databases/default/docs?id=big", true));
                InputStream in = socket.getInputStream();
                byte[] chunk = new byte[64 * 1024];
                long total = 0;
                int n;
                while ((n = in.read(chunk)) > 0) {
                    total += n;
                    if (total < (1 << 20)) {
                        Thread.sleep(5); // the first megabyte trickles, ~200 reads
                    }
                }
                assertTrue(total > BIG.length(), "read " + total + " bytes");
            }
        }
    }

    @Test
    void shouldKeepServingAfterClientsVanishMidHandshakeMidRequestAndMidResponse() throws Exception {
        putBig("big");
        var context = TlsFixture.context(tls.ca.certificate(), null, "TLS");
        for (int i = 0; i < 3; i++) {
            try (Socket tcp = new Socket("127.0.0.1", server.port())) { // TCP only: no ClientHello at all
                tcp.getOutputStream().write(new byte[] {0x16, 0x03, 0x01}); // and a torn record header
            }
            Socket tcp = new Socket("127.0.0.1", server.port());
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(tcp, "127.0.0.1", server.port(),
                    true);
            socket.setSoTimeout(20_000);
            send(socket.getOutputStream(), "PUT /databases/default/docs?id=torn HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 100000\r\n\r\n{\"A\":\"" + "y".repeat(5000)); // a body cut short
            tcp.setSoLinger(true, 0);
            tcp.close(); // a reset, no close_notify
            Socket tcp2 = new Socket("127.0.0.1", server.port());
            SSLSocket reader = (SSLSocket) context.getSocketFactory().createSocket(tcp2, "127.0.0.1", server.port(),
                    true);
            reader.setSoTimeout(20_000);
            send(reader.getOutputStream(), get("/databases/default/docs?id=big", false));
            assertTrue(reader.getInputStream().readNBytes(20_000).length == 20_000);
            tcp2.setSoLinger(true, 0);
            tcp2.close(); // gone with most of the answer unsent
        }
        try (SSLSocket socket = socket("TLSv1.3")) {
            send(socket.getOutputStream(), get("/databases/default/docs?id=torn", true));
            assertTrue(readResponse(socket.getInputStream()).startsWith("HTTP/1.1 404"), "the torn PUT stored nothing");
        }
    }

    @Test
    void shouldServeConnectionsWhoseRecordsArriveInPieces() throws Exception {
        // Three keep-alive connections at once through a relay that cuts what they send into pieces of 1-700 bytes:
        // the server's reads end inside records, so partial records must be kept for the connection between reads
        // (and not in a buffer another connection on the same IO thread reuses), then completed by the next read.
        var context = TlsFixture.context(tls.ca.certificate(), null, "TLS");
        try (TricklingRelay relay = new TricklingRelay(server.port());
             ExecutorService clients = Executors.newFixedThreadPool(3)) {
            List<Future<?>> runs = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                int connection = c;
                runs.add(clients.submit(() -> {
                    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1",
                            relay.port())) {
                        socket.setSoTimeout(60_000);
                        OutputStream out = socket.getOutputStream();
                        InputStream in = socket.getInputStream();
                        for (int r = 0; r < 4; r++) {
                            String id = "pieces-" + connection + "-" + r;
                            String value = (id + ";").repeat(40_000 / id.length()); // ~3 records
                            String body = "{\"V\":\"" + value + "\"}";
                            send(out, "PUT /databases/default/docs?id=" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    + "Content-Length: " + body.length() + "\r\n\r\n" + body);
                            String put = readResponse(in);
                            assertTrue(put.startsWith("HTTP/1.1 201"), put);
                            send(out, get("/databases/default/docs?id=" + id, false));
                            String doc = readResponse(in);
                            assertTrue(doc.startsWith("HTTP/1.1 200"), doc.substring(0, Math.min(200, doc.length())));
                            assertTrue(doc.contains("\"V\":\"" + value + "\""), "document " + id + " came back whole: "
                                    + doc.substring(0, Math.min(400, doc.length())));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(180, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void shouldRefuseRenegotiationAndKeepServingOthers() throws Exception {
        try (SSLSocket socket = socket("TLSv1.2")) {
            send(socket.getOutputStream(), get("/health", false));
            assertTrue(readResponse(socket.getInputStream()).startsWith("HTTP/1.1 200"));
            assertThrows(IOException.class, () -> {
                socket.startHandshake(); // a new ClientHello on the open connection
                send(socket.getOutputStream(), get("/health", false));
                readResponse(socket.getInputStream());
            });
        }
        try (SSLSocket socket = socket("TLSv1.2")) {
            send(socket.getOutputStream(), get("/health", true));
            assertTrue(readResponse(socket.getInputStream()).startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    void shouldKeepServingThroughTls13KeyUpdatesBothWays() throws Exception {
        try (HttpClient client = TlsFixture.http(TlsFixture.context(tls.ca.certificate(), null),
                HttpClient.Version.HTTP_1_1)) {
            var put = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/databases/default/docs?id=four"))
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"K\":\"" + "k".repeat(4000) + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, put.statusCode(), put.body());
        }
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, Pem.encode(tls.ca.certificate()));
        // Keys worn out every 8 KB: ~50 key updates for the 400 KB the client reads, a few for what it writes; JSSE
        // asks for the peer's update each time, so the server must take new read keys and send new write keys.
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djavax.net.debug=ssl", "-cp", System.getProperty("java.class.path"), KeyUpdateClient.class.getName(),
                String.valueOf(server.port()), ca.toString(), "100", "8192", "/databases/default/docs?id=four")
                .redirectErrorStream(true).start();
        String out;
        try (InputStream printed = child.getInputStream()) {
            out = new String(printed.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        String tail = out.substring(Math.max(0, out.length() - 4000));
        assertEquals(0, child.exitValue(), tail);
        assertTrue(out.contains("answers 100"), "every GET answered 200 on the one connection: " + tail);
        long sent = out.lines().filter(l -> l.contains("KeyUpdate: write key updated")).count();
        long received = out.lines().filter(l -> l.contains("KeyUpdate: read key updated")).count();
        assertTrue(sent >= 10, "the client updated its keys " + sent + " times");
        assertTrue(received >= 10, "the server answered with " + received + " key updates of its own");
    }

    @Test
    void shouldServeCurlOnHttp11KeepAliveAndHttp2() throws Exception {
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, Pem.encode(tls.ca.certificate()));
        putBig("big");
        for (String protocol : List.of("--http1.1", "--http2")) {
            List<String> command = new ArrayList<>(List.of("curl", "-sS", protocol, "--cacert", ca.toString(),
                    "-w", "%{http_code} %{http_version} %{num_connects} %{size_download}\\n"));
            for (int i = 0; i < 3; i++) { // three GETs on one connection; -o applies to one URL each
                command.addAll(List.of("-o", "/dev/null", server.url() + "/databases/default/docs?id=big"));
            }
            Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
            assertTrue(curl.waitFor(60, TimeUnit.SECONDS));
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, curl.exitValue(), out);
            String[] lines = out.trim().split("\n");
            assertEquals(3, lines.length, out);
            String version = protocol.equals("--http2") ? "2" : "1.1";
            for (int i = 0; i < 3; i++) {
                String[] fields = lines[i].trim().split(" ");
                assertEquals("200", fields[0], out);
                assertEquals(version, fields[1], out);
                assertEquals(i == 0 ? "1" : "0", fields[2], "one connection, kept alive: " + out);
                assertTrue(Long.parseLong(fields[3]) > BIG.length(), out);
            }
        }
    }
}
