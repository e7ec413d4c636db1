package dev.blitdb.server.studio;

import dev.blitdb.server.http.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The studio's files over plain HTTP (no browser needed): types, redirect, and nothing outside studio/. */
class StudioRoutesTest {

    @TempDir
    Path data;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(data);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldServeTheStudioFilesFromTheJar() throws Exception {
        HttpResponse<String> page = server.get("/studio/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(page.body().contains("<script src=\"studio.js\">"));
        assertEquals("text/javascript; charset=utf-8",
                server.get("/studio/studio.js").headers().firstValue("Content-Type").orElseThrow());
        assertEquals("text/css; charset=utf-8",
                server.get("/studio/studio.css").headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<String> bare = HttpClient.newHttpClient().send(server.at("/studio").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, bare.statusCode());
        assertEquals("/studio/", bare.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void shouldAnswerJson404ForAnythingElse() throws Exception {
        for (String path : new String[] {"/studio/nope.js", "/studio/..%2Fpom.xml", "/studio/studio.java",
                "/studio/%2e%2e%2fMETA-INF%2fMANIFEST.MF"}) {
            HttpResponse<String> r = server.get(path);
            assertEquals(404, r.statusCode(), path);
            assertEquals("NotFound", TestServer.json(r).get("Type").asText(), path);
        }
        HttpResponse<String> post = server.send(server.at("/studio/").POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(405, post.statusCode());
    }
}
