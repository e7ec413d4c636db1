package dev.blitdb.server.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Host header rules every request meets before any BlitDB handler (Undertow's read listener applies them,
 * server/API.md "Host header"): HTTP/1.1 needs exactly one well-formed Host — a name, an IPv4 address or a
 * bracketed IPv6 literal, with an optional port 1..65535 — else 400 with the reason in the status line, and the
 * connection and the data stay fine. HTTP/1.0 may omit it.
 */
class HostHeaderValidationTest {

    @TempDir
    static Path tmp;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(tmp.resolve("data"));
        assertEquals(201, server.put("default", "hosts/1", "{\"A\":1}").statusCode());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldServeWellFormedHostsAndHttp10WithoutOne() throws Exception {
        for (String host : new String[] {"localhost", "127.0.0.1", "127.0.0.1:8080", "db.example.com:65535",
            "[::1]:8080", "[2001:db8::1]"}) {
            assertTrue(statusLine(request("HTTP/1.1", "Host: " + host + "\r\n")).startsWith("HTTP/1.1 200"), host);
        }
        assertTrue(statusLine(request("HTTP/1.0", "")).startsWith("HTTP/1.0 200"));
    }

    @Test
    void shouldAnswer400NamingTheProblemWhenTheHostIsMissingRepeatedOrMalformed() throws Exception {
        assertEquals("HTTP/1.1 400 No Host Header", statusLine(request("HTTP/1.1", "")));
        assertEquals("HTTP/1.1 400 Only One Host Header Allowed",
                statusLine(request("HTTP/1.1", "Host: a\r\nHost: b\r\n")));
        assertEquals("HTTP/1.1 400 Host Header Malformed Port", statusLine(request("HTTP/1.1", "Host: a:0\r\n")));
        assertEquals("HTTP/1.1 400 Host Header Malformed Port", statusLine(request("HTTP/1.1", "Host: a:70000\r\n")));
        assertEquals("HTTP/1.1 400 Host Header Malformed IP-Literal",
                statusLine(request("HTTP/1.1", "Host: [::1\r\n")));
        assertEquals("HTTP/1.1 400 Host Header Bad Characters", statusLine(request("HTTP/1.1", "Host: a_b<c\r\n")));
        // The server and the data are untouched.
        assertEquals(200, server.getDoc("default", "hosts/1").statusCode());
    }

    private static String request(String protocol, String hostLines) throws IOException {
        URI uri = URI.create(server.server.url());
        try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /databases/default/docs?id=hosts/1 " + protocol + "\r\n" + hostLines
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String statusLine(String response) {
        int end = response.indexOf("\r\n");
        return end < 0 ? response : response.substring(0, end);
    }
}
