package dev.blitdb.indexing.execution;

import dev.blitdb.indexing.definition.IndexPriority;
import dev.blitdb.indexing.manager.IndexBoost;
import dev.blitdb.indexing.worker.IndexWorker;
import dev.blitdb.storage.documents.DocumentCommand;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.nativeio.NativeIo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link dev.blitdb.indexing.manager.IndexManager#boost()}: a bulk load lifts the database's Normal indexes —
 * those there and those created while it runs — to High, and each returns to its own priority only once it has
 * indexed everything up to the load's last write. The nice values are read back from the OS.
 */
class IndexBoostTest extends IndexingTestBase {

    private static String definition(String name, String path, String priority) {
        return "{\"Name\":\"" + name + "\",\"Collection\":\"Users\",\"Fields\":{\"F\":{\"Path\":\"" + path
                + "\",\"Type\":\"Keyword\"}},\"Priority\":\"" + priority + "\"}";
    }

    private IndexWorker worker(String name) {
        return indexes.require(name);
    }

    private int nice(String name) {
        Integer nice = worker(name).stats().effectiveNice();
        return nice == null ? -100 : nice;
    }

    private static void await(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L; // generous: a loaded 2-core machine
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            Thread.sleep(10);
        }
    }

    private void writeUsers(int from, int to) {
        List<DocumentCommand> commands = new ArrayList<>();
        for (int i = from; i < to; i++) {
            byte[] json = user("N" + i, i % 90, "City" + (i % 7)).getBytes(StandardCharsets.UTF_8);
            commands.add(new DocumentCommand.Put("users/" + i, writer.convert(json, 0, json.length).toByteArray(), null));
            if (commands.size() == 100) {
                store.batch(commands).join();
                commands = new ArrayList<>();
            }
        }
        if (!commands.isEmpty()) {
            store.batch(commands).join();
        }
    }

    private long lastEtag() {
        try (DocumentReader reader = store.beginRead()) {
            return reader.lastEtag();
        }
    }

    @Test
    void shouldRunNormalIndexesAtHighUntilTheyHaveIndexedTheLoadsLastWrite() throws Exception {
        assumeTrue(NativeIo.get().available(), "native access is needed for thread priorities");
        define(definition("Users/ByName", "Name", "Normal"));
        define(definition("Users/Low", "Name", "Low"));
        writeUsers(0, 50);
        await(() -> nice("Users/ByName") == 5, () -> "nice 5 before the boost, is " + nice("Users/ByName"));

        IndexBoost boost = indexes.boost();
        define(definition("Users/ByCity", "Address.City", "Normal")); // created during the load: boosted too
        await(() -> nice("Users/ByName") == 0 && nice("Users/ByCity") == 0,
                () -> "nice 0 while boosted, is " + nice("Users/ByName") + " / " + nice("Users/ByCity"));
        assertEquals(19, nice("Users/Low"), "a Low index stays Low");
        assertTrue(worker("Users/ByName").isBoosted());
        assertEquals(IndexPriority.HIGH, worker("Users/ByCity").effectivePriority());
        assertEquals(IndexPriority.NORMAL, worker("Users/ByCity").definition().priority(),
                "the definition keeps its priority");

        indexes.stop("Users/ByName"); // paused: it cannot catch up, so its boost must outlast the load
        writeUsers(50, 2_000);
        long last = lastEtag();
        boost.endWhenCaughtUp(last);
        boost.endWhenCaughtUp(last); // a second end does nothing

        // users/3, /10, ... /1998: waits until Users/ByCity is not stale, which is when it may end its boost
        assertEquals(286, ids("from index 'Users/ByCity' where F = 'City3'").size());
        await(() -> !worker("Users/ByCity").isBoosted() && nice("Users/ByCity") == 5,
                () -> "Users/ByCity back at nice 5 once caught up, is " + nice("Users/ByCity"));
        assertTrue(worker("Users/ByName").isBoosted(), "a paused index behind the load's last write stays boosted");
        assertEquals(0, nice("Users/ByName"));

        indexes.start("Users/ByName");
        await(() -> !worker("Users/ByName").isBoosted() && nice("Users/ByName") == 5,
                () -> "Users/ByName back at nice 5 once caught up, is " + nice("Users/ByName"));
        assertEquals(List.of("users/1999"), ids("from index 'Users/ByName' where F = 'N1999'"));
        assertEquals(19, nice("Users/Low"));

        // Nested loads: the index stays boosted until the last one ends.
        IndexBoost first = indexes.boost();
        IndexBoost second = indexes.boost();
        await(() -> nice("Users/ByName") == 0, () -> "nice 0 under two boosts, is " + nice("Users/ByName"));
        first.endWhenCaughtUp(lastEtag());
        ids("from index 'Users/ByName' where F = 'N1'");
        assertTrue(worker("Users/ByName").isBoosted(), "the second load is still running");
        second.endWhenCaughtUp(lastEtag());
        await(() -> !worker("Users/ByName").isBoosted() && nice("Users/ByName") == 5,
                () -> "nice 5 after both loads, is " + nice("Users/ByName"));
        assertFalse(worker("Users/ByCity").isBoosted());
    }
}
