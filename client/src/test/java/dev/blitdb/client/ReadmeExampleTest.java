package dev.blitdb.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Java client example is {@link ReadmeExample}, character for character (after its package line):
 * this test fails when the two drift, and runs the example against a real server.
 */
class ReadmeExampleTest {

    @TempDir
    Path dir;

    @Test
    void shouldShowInTheReadmeExactlyTheExampleThatRunsHere() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("## Java client");
        assertTrue(section >= 0, "README.md has a '## Java client' section");
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        String block = readme.substring(start, readme.indexOf("```", start));
        String source = Files.readString(Path.of("src/test/java/dev/blitdb/client/ReadmeExample.java"));
        String withoutPackage = source.substring(source.indexOf('\n', source.indexOf("package ")) + 1).stripLeading();
        assertEquals(withoutPackage, block);
    }

    @Test
    void shouldRunTheReadmeExampleAgainstARealServer() {
        try (var server = new TestServer(dir)) {
            ReadmeExample.run(server.url());
            try (var store = new DocumentStore(server.url(), "shop"); var session = store.openSession()) {
                ReadmeExample.User ann = session.load(ReadmeExample.User.class, "users/1");
                assertEquals("Ann", ann.name);
                assertEquals(35, ann.age);
                assertEquals("users/1", ann.id);
                assertEquals(10_001, store.maintenance().getDatabaseStatistics().countOfDocuments());
                var stats = new dev.blitdb.client.query.QueryStatistics();
                var found = session.query(ReadmeExample.User.class, "Users/ByName")
                        .whereStartsWith("Name", "user999") // user999 and user9990..user9999
                        .statistics(stats).waitForNonStaleResults(Duration.ofSeconds(30)).toList();
                assertFalse(stats.isStale(), "waited for the index");
                assertEquals(11, found.size());
            }
        }
    }
}
