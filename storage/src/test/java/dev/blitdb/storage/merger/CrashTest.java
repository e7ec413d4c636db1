package dev.blitdb.storage.merger;

import dev.blitdb.storage.engine.Cursor;
import dev.blitdb.storage.engine.ReadTxn;
import dev.blitdb.storage.engine.Store;
import dev.blitdb.storage.engine.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash safety proved by crashing: a child JVM writes through the merger and is killed with SIGKILL at a random
 * moment, {@value #ROUNDS} times on the same data folder. After each kill the store must open, verify its
 * checksums, hold every acknowledged write intact, show no acknowledged delete, and hold no half-applied
 * operation (the two trees always agree).
 */
class CrashTest {

    static final int ROUNDS = 50;
    private static final Pattern LINE = Pattern.compile("^(READY|PUT|DELQ|DEL|ERROR) (\\S+) OK$");

    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryAcknowledgedWriteAcrossRepeatedSigkills() throws Exception {
        Random rnd = new Random(42);
        Set<String> acked = new HashSet<>();
        Set<String> maybeDeleted = new HashSet<>();
        Set<String> deleted = new HashSet<>();
        int totalAcks = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Process child = childJvm(String.valueOf(round), 8).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            int acksThisRound = 0;
            try (var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                int killAfterAcks = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(300);
                String line;
                boolean ready = false;
                while ((line = out.readLine()) != null) {
                    Matcher m = LINE.matcher(line);
                    if (!m.matches()) {
                        continue; // a torn last line from the kill
                    }
                    switch (m.group(1)) {
                        case "READY" -> ready = true;
                        case "PUT" -> {
                            acked.add(m.group(2));
                            acksThisRound++;
                        }
                        case "DELQ" -> maybeDeleted.add(m.group(2));
                        case "DEL" -> {
                            deleted.add(m.group(2));
                            acksThisRound++;
                        }
                        default -> throw new AssertionError("child failed in round " + round + ": " + line);
                    }
                    if (ready && acksThisRound >= killAfterAcks) {
                        if (killAfterAcks == 0) {
                            Thread.sleep(rnd.nextInt(30)); // kill while the very first batches are committing
                        }
                        break;
                    }
                }
                assertTrue(ready, "child of round " + round + " never became ready");
                // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the pipe.
                child.toHandle().destroyForcibly();
                // Acks printed before the kill landed are still in the pipe: they were acknowledged too.
                while ((line = out.readLine()) != null) {
                    Matcher m = LINE.matcher(line);
                    if (m.matches() && m.group(1).equals("PUT")) {
                        acked.add(m.group(2));
                    } else if (m.matches() && m.group(1).equals("DELQ")) {
                        maybeDeleted.add(m.group(2));
                    } else if (m.matches() && m.group(1).equals("DEL")) {
                        deleted.add(m.group(2));
                    }
                }
            } finally {
                child.destroyForcibly();
                assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            }
            totalAcks += acksThisRound;
            checkStore(round, acked, maybeDeleted, deleted);
        }
        System.out.println("CrashTest: " + ROUNDS + " SIGKILLs, " + totalAcks + " acknowledged operations, "
                + acked.size() + " acknowledged puts, " + deleted.size() + " acknowledged deletes checked");
        assertTrue(totalAcks > ROUNDS * 20, "the children acknowledged only " + totalAcks + " writes");
    }

    private void checkStore(int round, Set<String> acked, Set<String> maybeDeleted, Set<String> deleted)
            throws Exception {
        try (Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(4 << 20))) {
            store.verify();
            try (ReadTxn r = store.beginRead()) {
                for (String key : acked) {
                    MemorySegment v = r.get("primary", key.getBytes());
                    if (deleted.contains(key)) {
                        assertNull(v, "round " + round + ": acknowledged delete of " + key + " was lost");
                    } else if (!maybeDeleted.contains(key)) {
                        assertNotNull(v, "round " + round + ": acknowledged write " + key + " was lost");
                    }
                }
                assertEquals(r.count("primary"), r.count("index"), "round " + round + ": trees disagree");
                Cursor c = r.cursor("primary");
                List<String> keys = new ArrayList<>();
                for (c.first(); c.valid(); c.next()) {
                    String key = new String(c.keyBytes(), StandardCharsets.UTF_8);
                    keys.add(key);
                    byte[] value = c.value().toArray(ValueLayout.JAVA_BYTE);
                    assertArrayEquals(CrashWriterMain.valueFor(key), value, "round " + round + ": " + key);
                    MemorySegment idx = r.get("index", key.getBytes());
                    assertNotNull(idx, "round " + round + ": half-applied operation for " + key);
                    assertArrayEquals(CrashWriterMain.indexEntry(value), idx.toArray(ValueLayout.JAVA_BYTE));
                }
                assertEquals(keys.size(), r.count("primary"));
            }
        }
    }

    private ProcessBuilder childJvm(String round, int threads) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(System.getProperty("blitdb.jvm.flags", "--enable-native-access=ALL-UNNAMED"));
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashWriterMain.class.getName());
        command.add(dir.toString());
        command.add(round);
        command.add(String.valueOf(threads));
        return new ProcessBuilder(command);
    }
}
