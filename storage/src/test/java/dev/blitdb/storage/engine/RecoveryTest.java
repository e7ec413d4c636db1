package dev.blitdb.storage.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Torn commits: damage or truncate what the last commit wrote; opening must recover the previous commit. */
class RecoveryTest {

    @TempDir
    Path dir;

    private static final StoreOptions OPTIONS = StoreOptions.defaults().withMinGrowth(1 << 20);

    private long commitA(Store store) {
        try (WriteTxn w = store.beginWrite()) {
            for (int i = 0; i < 500; i++) {
                w.put("t", ("a" + i).getBytes(), ("value-a-" + i).getBytes());
            }
            w.put("t", "big".getBytes(), new byte[20_000]);
            return w.commit();
        }
    }

    private long commitB(Store store, int values, int size) {
        try (WriteTxn w = store.beginWrite()) {
            for (int i = 0; i < values; i++) {
                w.put("t", ("b" + i).getBytes(), new byte[size]);
            }
            w.put("t", "a1".getBytes(), "changed by B".getBytes());
            return w.commit();
        }
    }

    private void assertStateA(Store store, long txnA) {
        try (ReadTxn r = store.beginRead()) {
            assertEquals(txnA, r.id());
            assertEquals(501, r.count("t"));
            assertArrayEquals("value-a-1".getBytes(), r.get("t", "a1".getBytes()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            assertNull(r.get("t", "b0".getBytes()));
        }
        store.verify();
    }

    private Meta readMeta(int slot) throws IOException {
        try (FileChannel ch = FileChannel.open(dir.resolve(Store.FILE_NAME), StandardOpenOption.READ);
             Arena arena = Arena.ofConfined()) {
            MemorySegment m = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return (Meta) Meta.read(m, slot);
        }
    }

    private void flipByte(long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(dir.resolve(Store.FILE_NAME), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
            ch.write(b, offset);
        }
    }

    @Test
    void shouldRecoverThePreviousCommitWhenTheLastMetaPageIsTorn() throws Exception {
        long a;
        long b;
        try (Store store = Store.open(dir, OPTIONS)) {
            a = commitA(store);
            b = commitB(store, 10, 100);
        }
        assertEquals(a + 1, b);
        flipByte(Page.offset(b % 2) + 20); // inside the transaction id: the checksum no longer matches
        try (Store store = Store.open(dir, OPTIONS)) {
            assertStateA(store, a);
            // The store keeps working from there, overwriting the torn slot.
            long c = commitB(store, 3, 10);
            assertEquals(a + 1, c);
        }
        try (Store store = Store.open(dir, OPTIONS)) {
            try (ReadTxn r = store.beginRead()) {
                assertEquals(504, r.count("t"));
            }
            store.verify();
        }
    }

    @Test
    void shouldRecoverThePreviousCommitWhenAPageOfTheLastCommitIsDamaged() throws Exception {
        long a;
        long b;
        try (Store store = Store.open(dir, OPTIONS)) {
            a = commitA(store);
            b = commitB(store, 200, 300);
        }
        Meta meta = readMeta((int) (b % 2));
        assertEquals(b, meta.txnId());
        flipByte(Page.offset(meta.catalog().root()) + 2000);
        try (Store store = Store.open(dir, OPTIONS)) {
            assertStateA(store, a);
        }
    }

    @Test
    void shouldRecoverThePreviousCommitWhenTheFileIsTruncated() throws Exception {
        long a;
        long hwmA;
        try (Store store = Store.open(dir, OPTIONS)) {
            a = commitA(store);
            hwmA = store.stats().usedPages();
            commitB(store, 400, 5000); // overflow values far beyond A's high-water mark
            assertTrue(store.stats().usedPages() > hwmA + 400);
        }
        try (FileChannel ch = FileChannel.open(dir.resolve(Store.FILE_NAME), StandardOpenOption.WRITE)) {
            ch.truncate(hwmA * Limits.PAGE_SIZE + 1234); // a torn tail, not even page-aligned
        }
        try (Store store = Store.open(dir, OPTIONS)) {
            assertStateA(store, a);
            commitB(store, 400, 5000); // growth starts again from the torn size
            store.verify();
        }
    }

    @Test
    void shouldRefuseToOpenAndLeaveTheFileAloneWhenBothCommitsAreDamaged() throws Exception {
        try (Store store = Store.open(dir, OPTIONS)) {
            commitA(store);
            commitB(store, 10, 100);
        }
        flipByte(20);
        flipByte(Limits.PAGE_SIZE + 20);
        byte[] before = Files.readAllBytes(dir.resolve(Store.FILE_NAME));
        StoreCorruptedException e = assertThrows(StoreCorruptedException.class, () -> Store.open(dir, OPTIONS));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve(Store.FILE_NAME)));
    }

    @Test
    void shouldRefuseASecondOpenOfTheSameFile() throws Exception {
        try (Store store = Store.open(dir, OPTIONS)) {
            IOException e = assertThrows(IOException.class, () -> Store.open(dir, OPTIONS));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
    }
}
