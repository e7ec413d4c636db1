package dev.blitdb.server.http;

import dev.blitdb.server.BlitDbServer;
import dev.blitdb.server.config.ServerConfig;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** A real server on an ephemeral loopback port over a data folder, and a real {@code java.net.http} client. */
public final class TestServer implements AutoCloseable {

    public final Path dataDir;
    public final BlitDbServer server;
    public final HttpClient http;

    private TestServer(Path dataDir, BlitDbServer server) {
        this.dataDir = dataDir;
        this.server = server;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static TestServer start(Path dataDir) throws IOException {
        return start(new ServerConfig("127.0.0.1", 0, dataDir, false));
    }

    public static TestServer start(ServerConfig config) throws IOException {
        return new TestServer(config.dataDir(), BlitDbServer.start(config));
    }

    public static TestServer start(Path dataDir, dev.blitdb.storage.engine.StoreOptions storeOptions)
            throws IOException {
        return new TestServer(dataDir, BlitDbServer.start(new ServerConfig("127.0.0.1", 0, dataDir, false),
                storeOptions, java.util.List.of(), java.util.List.of()));
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** The body as a tree (tests only). */
    public static com.fasterxml.jackson.databind.JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (status " + response.statusCode() + "): " + response.body(), e);
        }
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public HttpRequest.Builder at(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery)).timeout(Duration.ofSeconds(60));
    }

    public String docs(String db, String id) {
        return "/databases/" + db + "/docs?id=" + enc(id);
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send(at(pathAndQuery));
    }

    public HttpResponse<String> getDoc(String db, String id) throws IOException, InterruptedException {
        return get(docs(db, id));
    }

    public HttpResponse<String> put(String db, String id, String json) throws IOException, InterruptedException {
        return send(at(docs(db, id)).PUT(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    public HttpResponse<String> putBytes(String db, String id, byte[] body) throws IOException, InterruptedException {
        return send(at(docs(db, id)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public HttpResponse<String> delete(String db, String id) throws IOException, InterruptedException {
        return send(at(docs(db, id)).DELETE());
    }

    public HttpResponse<String> post(String pathAndQuery, String json) throws IOException, InterruptedException {
        return send(at(pathAndQuery).POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    public HttpResponse<String> createDatabase(String name) throws IOException, InterruptedException {
        return send(at("/admin/databases?name=" + enc(name)).PUT(HttpRequest.BodyPublishers.noBody()));
    }

    public HttpResponse<String> dropDatabase(String name) throws IOException, InterruptedException {
        return send(at("/admin/databases?name=" + enc(name)).DELETE());
    }

    /** Stops the server (in-flight requests finish, stores close) and starts a new one over the same data. */
    public TestServer restart() throws IOException {
        server.close();
        http.close();
        return start(dataDir);
    }

    @Override
    public void close() {
        server.close();
        http.close();
    }
}
