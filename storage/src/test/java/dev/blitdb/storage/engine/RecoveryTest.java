package dev.blitdb.storage.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crashes by hand: a copy of the folder taken while the store is open (what a kill -9 leaves: the page cache's
 * view of the data file and the log files), then damaged. Opening replays the log onto the newest checkpoint and
 * stops at the first bad record; a torn newest checkpoint falls back to the previous one and its log; a missing or
 * foreign log is refused, never silently ignored.
 */
class RecoveryTest {

    @TempDir
    Path dir;

    /** Checkpoints only where a test calls them. */
    private static final StoreOptions OPTIONS = StoreOptions.defaults().withMinGrowth(1 << 20)
            .withCheckpoints(Long.MAX_VALUE, Duration.ZERO);

    private static long commitA(Store store) {
        try (WriteTxn w = store.beginWrite()) {
            for (int i = 0; i < 500; i++) {
                w.put("t", ("a" + i).getBytes(), ("value-a-" + i).getBytes());
            }
            w.put("t", "big".getBytes(), new byte[20_000]);
            return w.commit();
        }
    }

    private static long commitB(Store store, int values, int size) {
        try (WriteTxn w = store.beginWrite()) {
            for (int i = 0; i < values; i++) {
                w.put("t", ("b" + i).getBytes(), new byte[size]);
            }
            w.put("t", "a1".getBytes(), "changed by B".getBytes());
            return w.commit();
        }
    }

    private static void assertStateA(Store store, long txnA) {
        try (ReadTxn r = store.beginRead()) {
            assertEquals(txnA, r.id());
            assertEquals(501, r.count("t"));
            assertArrayEquals("value-a-1".getBytes(), r.get("t", "a1".getBytes()).toArray(
                    java.lang.foreign.ValueLayout.JAVA_BYTE));
            assertNull(r.get("t", "b0".getBytes()));
        }
        store.verify();
    }

    private static void assertStateB(Store store, long txnB, int values) {
        try (ReadTxn r = store.beginRead()) {
            assertEquals(txnB, r.id());
            assertEquals(501 + values, r.count("t"));
            assertArrayEquals("changed by B".getBytes(), r.get("t", "a1".getBytes()).toArray(
                    java.lang.foreign.ValueLayout.JAVA_BYTE));
        }
        store.verify();
    }

    /** The folder as a kill -9 would leave it: copied while the store is open. */
    private Path crashCopy(Store store, String name) throws IOException {
        Path to = dir.resolve(name);
        Files.createDirectories(to);
        for (String f : new String[]{Store.FILE_NAME, WriteAheadLog.NAMES[0], WriteAheadLog.NAMES[1]}) {
            Path from = store.dir().resolve(f);
            if (Files.exists(from)) {
                Files.copy(from, to.resolve(f));
            }
        }
        return to;
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
            ch.write(b, offset);
        }
    }

    /** The log file the store appends to now. */
    private static Path activeLog(Path folder, Store store) {
        return folder.resolve(WriteAheadLog.NAMES[(int) (store.wal.generation() % 2)]);
    }

    @Test
    void shouldReplayTheLogOntoTheCheckpointAfterACrash() throws Exception {
        Path crashed;
        long b;
        try (Store store = Store.open(dir.resolve("s"), OPTIONS)) {
            commitA(store);
            b = commitB(store, 200, 300);
            crashed = crashCopy(store, "crashed");
        }
        try (Store store = Store.open(crashed, OPTIONS)) {
            assertStateB(store, b, 200);
        }
    }

    @Test
    void shouldRecoverThePreviousCommitWhenTheLastLogRecordIsTorn() throws Exception {
        Path crashed;
        long a;
        long recordB;
        try (Store store = Store.open(dir.resolve("s"), OPTIONS)) {
            a = commitA(store);
            recordB = store.wal.position();
            commitB(store, 10, 100);
            crashed = crashCopy(store, "crashed");
            flipByte(activeLog(crashed, store), recordB + Limits.PAGE_SIZE + 100); // inside B's first page image
        }
        try (Store store = Store.open(crashed, OPTIONS)) {
            assertStateA(store, a);
            long c = commitB(store, 3, 10); // and it goes on from there
            assertEquals(a + 1, c);
        }
        try (Store store = Store.open(crashed, OPTIONS)) {
            try (ReadTxn r = store.beginRead()) {
                assertEquals(504, r.count("t"));
            }
            store.verify();
        }
    }

    @Test
    void shouldRecoverThePreviousCommitWhenTheLogIsCutInsideTheLastRecord() throws Exception {
        Path crashed;
        long a;
        try (Store store = Store.open(dir.resolve("s"), OPTIONS)) {
            a = commitA(store);
            long recordB = store.wal.position();
            commitB(store, 400, 5000); // overflow values beyond A's high-water mark
            crashed = crashCopy(store, "crashed");
            try (FileChannel ch = FileChannel.open(activeLog(crashed, store), StandardOpenOption.WRITE)) {
                ch.truncate(recordB + 1234); // a torn tail, not even page-aligned
            }
        }
        try (Store store = Store.open(crashed, OPTIONS)) {
            assertStateA(store, a);
            commitB(store, 400, 5000);
            store.verify();
        }
    }

    @Test
    void shouldFallBackToThePreviousCheckpointAndItsLogWhenTheNewestMetaPageIsTorn() throws Exception {
        Path crashed;
        long c;
        try (Store store = Store.open(dir.resolve("s"), OPTIONS)) {
            commitA(store);
            assertTrue(store.checkpoint());
            commitB(store, 50, 3000);
            assertTrue(store.checkpoint());
            try (WriteTxn w = store.beginWrite()) {
                w.put("t", "c".getBytes(), "after the checkpoint".getBytes());
                c = w.commit();
            }
            crashed = crashCopy(store, "crashed");
            flipByte(crashed.resolve(Store.FILE_NAME), Page.offset(store.metaSlot) + 20); // its transaction id
        }
        try (Store store = Store.open(crashed, OPTIONS)) {
            try (ReadTxn r = store.beginRead()) {
                assertEquals(c, r.id());
                assertEquals(552, r.count("t"));
                assertArrayEquals("after the checkpoint".getBytes(), r.get("t", "c".getBytes()).toArray(
                        java.lang.foreign.ValueLayout.JAVA_BYTE));
            }
            store.verify();
        }
    }

    @Test
    void shouldRefuseToOpenWithoutItsLogAndLeaveTheFileAlone() throws Exception {
        Path crashed;
        try (Store store = Store.open(dir.resolve("s"), OPTIONS)) {
            commitA(store);
            commitB(store, 10, 100);
            crashed = crashCopy(store, "crashed");
        }
        assertTrue(Files.deleteIfExists(crashed.resolve(WriteAheadLog.NAMES[1])));
        Files.deleteIfExists(crashed.resolve(WriteAheadLog.NAMES[0]));
        byte[] before = Files.readAllBytes(crashed.resolve(Store.FILE_NAME));
        StoreCorruptedException e = assertThrows(StoreCorruptedException.class, () -> Store.open(crashed, OPTIONS));
        assertTrue(e.getMessage().contains("write-ahead log"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(crashed.resolve(Store.FILE_NAME)));
    }

    @Test
    void shouldNeverReplayTheLogOfAnotherDataFile() throws Exception {
        Path x;
        Path y;
        try (Store store = Store.open(dir.resolve("x"), OPTIONS)) {
            commitA(store);
            commitB(store, 10, 100);
            x = crashCopy(store, "x-crashed");
        }
        try (Store store = Store.open(dir.resolve("y"), OPTIONS)) {
            commitA(store);
            y = crashCopy(store, "y-crashed");
        }
        for (String log : WriteAheadLog.NAMES) {
            Files.deleteIfExists(y.resolve(log));
            if (Files.exists(x.resolve(log))) {
                Files.copy(x.resolve(log), y.resolve(log));
            }
        }
        StoreCorruptedException e = assertThrows(StoreCorruptedException.class, () -> Store.open(y, OPTIONS));
        assertTrue(e.getMessage().contains("another data file"), e.getMessage());
    }

    @Test
    void shouldIgnoreALeftoverLogBesideACopyThatReplacedTheDataFile() throws Exception {
        Path crashed;
        long a;
        Path copy = dir.resolve("copy.blit");
        try (Store store = Store.open(dir.resolve("s"), OPTIONS)) {
            a = commitA(store);
            try (ReadTxn r = store.beginRead()) {
                SnapshotCopy.copyTo(r, copy, SnapshotCopy.Listener.NONE);
            }
            commitB(store, 10, 100);
            crashed = crashCopy(store, "crashed");
        }
        // A restore or a compaction swap puts a copy in place; the crashed store's log is still there.
        Files.move(copy, crashed.resolve(Store.FILE_NAME), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (Store store = Store.open(crashed, OPTIONS)) {
            assertStateA(store, a);
        }
    }

    @Test
    void shouldLeaveNoLogAfterACleanClose() throws Exception {
        Path s = dir.resolve("s");
        long b;
        try (Store store = Store.open(s, OPTIONS)) {
            commitA(store);
            b = commitB(store, 10, 100);
            assertTrue(Files.exists(s.resolve(WriteAheadLog.NAMES[1])));
        }
        assertFalse(Files.exists(s.resolve(WriteAheadLog.NAMES[0])));
        assertFalse(Files.exists(s.resolve(WriteAheadLog.NAMES[1])));
        try (Store store = Store.open(s, OPTIONS)) {
            assertStateB(store, b, 10);
        }
    }

    @Test
    void shouldRefuseToOpenAndLeaveTheFileAloneWhenBothMetaPagesAreDamaged() throws Exception {
        Path s = dir.resolve("s");
        try (Store store = Store.open(s, OPTIONS)) {
            commitA(store);
            commitB(store, 10, 100);
        }
        flipByte(s.resolve(Store.FILE_NAME), 20);
        flipByte(s.resolve(Store.FILE_NAME), Limits.PAGE_SIZE + 20);
        byte[] before = Files.readAllBytes(s.resolve(Store.FILE_NAME));
        StoreCorruptedException e = assertThrows(StoreCorruptedException.class, () -> Store.open(s, OPTIONS));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(s.resolve(Store.FILE_NAME)));
    }

    @Test
    void shouldRefuseASecondOpenOfTheSameFile() throws Exception {
        try (Store store = Store.open(dir, OPTIONS)) {
            IOException e = assertThrows(IOException.class, () -> Store.open(dir, OPTIONS));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
    }
}
