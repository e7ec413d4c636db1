package dev.blitdb.server.http;

import dev.blitdb.storage.engine.SpaceAllocator;
import dev.blitdb.storage.engine.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static dev.blitdb.server.http.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A full disk answers 507 and loses nothing; reads go on. The "disk" is an allocator that refuses to grow. */
class DiskFullTest {

    private static final long DISK = 4L << 20;

    @TempDir
    Path tmp;

    @Test
    void shouldAnswer507WhenTheDiskIsFullAndKeepEverythingStoredBefore() throws Exception {
        SpaceAllocator smallDisk = (file, channel, offset, length) -> {
            if (offset + length > DISK) {
                throw new IOException("ENOSPC: no space left on device (test disk of " + DISK + " bytes)");
            }
            SpaceAllocator.standard().allocate(file, channel, offset, length);
        };
        StoreOptions options = StoreOptions.defaults().withMinGrowth(256 << 10).withAllocator(smallDisk);
        try (var server = TestServer.start(tmp.resolve("data"), options)) {
            // Random letters: blittable compresses long strings, so a repeated letter would take no room.
            var random = new java.util.Random(42);
            StringBuilder letters = new StringBuilder();
            for (int i = 0; i < 100_000; i++) {
                letters.append((char) ('a' + random.nextInt(26)));
            }
            String filler = letters.toString();
            int stored = 0;
            var response = server.put("default", "fill/0", "{\"s\":\"" + filler + "\"}");
            while (response.statusCode() == 201 && stored < 200) {
                stored++;
                response = server.put("default", "fill/" + stored, "{\"s\":\"" + filler + "\"}");
            }
            assertEquals(507, response.statusCode(), "after " + stored + " documents: " + response.body());
            assertEquals("InsufficientStorage", json(response).get("Type").asText());
            assertTrue(json(response).get("Message").asText().contains("ENOSPC"), response.body());
            assertTrue(stored > 5, "only " + stored + " documents fit");
            for (int i = 0; i < stored; i++) {
                var get = server.getDoc("default", "fill/" + i);
                assertEquals(200, get.statusCode());
                assertEquals(filler.length(), json(get).get("s").asText().length());
            }
            assertEquals(404, server.getDoc("default", "fill/" + stored).statusCode());
            var bulk = server.post("/databases/default/bulk_docs", "{\"Commands\":[{\"Type\":\"PUT\",\"Id\":\"b/1\","
                    + "\"Document\":{}},{\"Type\":\"PUT\",\"Id\":\"b/2\",\"Document\":{\"s\":\"" + filler.repeat(3)
                    + "\"}}]}");
            assertEquals(507, bulk.statusCode(), bulk.body());
            assertEquals(404, server.getDoc("default", "b/1").statusCode());
            assertEquals(stored, json(server.get("/databases/default/stats")).get("CountOfDocuments").asLong());
        }
    }
}
