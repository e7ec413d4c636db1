package dev.blitdb.indexing.execution;

import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.indexing.worker.IndexingOptions;
import dev.blitdb.storage.documents.DocumentCommand;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.DocumentReader;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rebuild killed with SIGKILL (a child JVM) after some of its progress commits and with uncommitted work in the
 * writer, twice — with documents updated and deleted between the kills — resumes from its last commit: in the end
 * every document is indexed exactly once with its current values (the redone part goes in by update, nothing
 * doubles) and every deleted one is gone.
 */
class IndexRebuildCrashTest extends IndexingTestBase {

    private static final String[] CITIES = {"Paris", "Oslo", "Rome", "Lima"};
    private static final int DOCUMENTS = 20_000;

    private final Map<String, String> model = new TreeMap<>(); // lowercased id → city

    @Override
    void open() throws Exception {
        store = DocumentStore.open(folder.resolve("db"));
        indexes = IndexManager.open("db", store, folder.resolve("db").resolve("indexes"), spawner,
                new IndexingOptions(1_024, Duration.ofMillis(50), 64, 64)); // the finishing worker: few batches
    }

    @Test
    void shouldIndexEveryDocumentExactlyOnceAfterKillsMidRebuild() throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        List<DocumentCommand> commands = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            commands.add(putCommand("users/" + i, CITIES[random.nextInt(CITIES.length)], random));
            if (commands.size() == 3_000) {
                store.batch(commands).join();
                commands.clear();
            }
        }
        int killedMidway = 0;
        for (int round = 0; round < 2; round++) {
            if (round == 1) { // the resumed rebuild also meets updates and deletes of documents it already indexed
                for (int i = 0; i < 400; i++) {
                    String id = "users/" + random.nextInt(DOCUMENTS);
                    if (i % 4 == 0 && model.containsKey(id)) {
                        commands.add(new DocumentCommand.Delete(id, null));
                        model.remove(id);
                    } else {
                        commands.add(putCommand(id, CITIES[random.nextInt(CITIES.length)], random));
                    }
                }
                store.batch(commands).join();
                commands.clear();
            }
            long target;
            try (DocumentReader reader = store.beginRead()) {
                target = reader.lastEtag();
            }
            closeStoreAndIndexes();
            if (killMidRebuild(target)) {
                killedMidway++;
            }
            open();
        }
        assertTrue(killedMidway >= 1, "at least one child was killed between two commits of its rebuild");

        // The restarted worker redoes what the killed one had not committed.
        assertEquals(model.size(), query("from index 'Users/ByCity'", Map.of(), true).result().totalResults(),
                "every document once");
        for (String city : CITIES) {
            List<String> expected = new ArrayList<>();
            model.forEach((id, c) -> {
                if (c.equals(city)) {
                    expected.add(id);
                }
            });
            Answer answer = query("from index 'Users/ByCity' where City = $c limit 100000",
                    Map.of("c", city), true);
            assertFalse(answer.result().isStale());
            assertEquals(expected.size(), answer.result().totalResults(), "TotalResults for " + city);
            assertEquals(expected, answer.ids().stream().map(s -> s.toLowerCase(java.util.Locale.ROOT)).sorted().toList(),
                    "documents of " + city);
        }
        assertEquals(model.size(), indexes.require("Users/ByCity").lucene().entries(), "no doubled Lucene entries");
    }

    private DocumentCommand putCommand(String id, String city, SplittableRandom random) {
        byte[] json = user("N" + random.nextInt(1000), random.nextInt(90), city).getBytes(StandardCharsets.UTF_8);
        model.put(id, city);
        return new DocumentCommand.Put(id, writer.convert(json, 0, json.length).toByteArray(), null);
    }

    /**
     * Runs the child until it has committed part of the rebuild, then SIGKILLs it. Returns whether it was killed
     * with committed progress strictly between its starting point and {@code target} (false: it finished first).
     */
    private boolean killMidRebuild(long target) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), IndexRebuildCrashChild.class.getName(),
                folder.resolve("db").toString(), Long.toString(target));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            long first = -1;
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals("done")) {
                    return false;
                }
                if (line.startsWith("committed ")) {
                    long committed = Long.parseLong(line.substring("committed ".length()));
                    if (first < 0) {
                        first = committed; // where this child resumed
                    } else if (committed > first && committed < target) {
                        child.toHandle().destroyForcibly(); // SIGKILL: no close, no last commit
                        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                        return true;
                    }
                }
            }
            throw new AssertionError("the child ended without finishing (exit " + child.waitFor() + ")");
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
