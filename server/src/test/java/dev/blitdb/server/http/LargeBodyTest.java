package dev.blitdb.server.http;

import dev.blitdb.server.BlitDbServer;
import dev.blitdb.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bodies up to --max-body-size (32 MiB by default) are accepted, whatever Undertow's own default cap is. */
class LargeBodyTest {

    @TempDir
    Path data;

    @Test
    void shouldStoreAndReturnAFourMegabyteDocument() throws Exception {
        try (var server = BlitDbServer.start(new ServerConfig("127.0.0.1", 0, data, false));
             var http = HttpClient.newHttpClient()) {
            String text = "x".repeat(4 << 20);
            var put = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/databases/default/docs?id=big/1"))
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"Text\":\"" + text + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, put.statusCode(), put.body());
            var get = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/databases/default/docs?id=big/1"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, get.statusCode());
            assertEquals(4 << 20, get.body().indexOf("\",\"@metadata\"") - "{\"Text\":\"".length());
        }
    }
}
