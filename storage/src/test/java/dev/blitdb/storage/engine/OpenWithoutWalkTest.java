package dev.blitdb.storage.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store with more tree pages than the open walks itself opens without reading them, and its free pages reach
 * the pool from the background scan — correctly under writes made before the scan ends, not at all when the scan
 * finds damage (the store then refuses further use), and quietly not when the store closed first.
 */
class OpenWithoutWalkTest {

    private static final int KEYS = 3000;
    /** Far below the test store's ~1,500 tree pages: every open here leaves the walk to the scan. */
    private static final long THRESHOLD = 100;

    @TempDir
    Path dir;

    private final List<Runnable> scans = new ArrayList<>();

    @Test
    void shouldOpenWithoutReadingTreePagesAndFindTheSameFreePagesInTheBackground() throws Exception {
        long freeWhenWalkedAtOpen = fill();
        long before = TreeWalker.PAGES_VISITED.sum();
        try (Store store = Store.open(dir, StoreOptions.defaults(), THRESHOLD, scans::add)) {
            assertEquals(0, TreeWalker.PAGES_VISITED.sum() - before, "tree pages read by the open");
            assertEquals(1, scans.size());
            assertEquals(0, store.stats().freePages()); // nothing reusable until the scan has run
            try (ReadTxn r = store.beginRead()) {
                assertArrayEquals(value(7), r.get("t", key(7)).toArray(ValueLayout.JAVA_BYTE));
                assertEquals(KEYS / 2, r.count("t"));
            }
            scans.getFirst().run();
            assertEquals(freeWhenWalkedAtOpen, store.stats().freePages());
            assertTrue(TreeWalker.PAGES_VISITED.sum() - before > 200, "the scan walks the trees");
            store.verify();
        }
    }

    @Test
    void shouldKeepEveryPageOnceWhenWritesRunBeforeTheScanHandsOver() throws Exception {
        fill();
        try (Store store = Store.open(dir, StoreOptions.defaults(), THRESHOLD, scans::add)) {
            churn(store, 0); // pages freed by these commits reach the pool before the scan's pages do
            scans.getFirst().run();
            churn(store, 1); // now reusing both kinds
            store.verify(); // a page reachable twice, or a reachable page reused, fails here
            try (ReadTxn r = store.beginRead()) {
                for (int i = 1; i < KEYS; i += 2) {
                    assertArrayEquals(value(i * 31), r.get("t", key(i)).toArray(ValueLayout.JAVA_BYTE), "key " + i);
                }
            }
        }
        try (Store store = Store.open(dir)) { // walked at open again: still consistent
            store.verify();
        }
    }

    @Test
    void shouldFailTheStoreAndFreeNothingWhenTheScanFindsDamage() throws Exception {
        fill();
        long victim;
        try (Store store = Store.open(dir); ReadTxn r = store.beginRead()) {
            victim = r.tree("t").root(); // a branch page: read by every walk (overflow pages are not)
        }
        try (FileChannel ch = FileChannel.open(dir.resolve(Store.FILE_NAME), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x5A, 0x5A, 0x5A, 0x5A}), victim * Limits.PAGE_SIZE + 2000);
        }
        try (Store store = Store.open(dir, StoreOptions.defaults(), THRESHOLD, scans::add)) {
            scans.getFirst().run();
            assertEquals(0, store.stats().freePages());
            assertThrows(StorageException.class, store::beginWrite);
        } catch (StorageException | java.io.IOException closeFailure) {
            // closing a failed store may report the failure again; the file is not touched by it
        }
        assertThrows(StoreCorruptedException.class, () -> Store.open(dir).close()); // a full open still says so
    }

    @Test
    void shouldHandNothingOverWhenTheStoreClosedBeforeTheScanRan() throws Exception {
        fill();
        Store store = Store.open(dir, StoreOptions.defaults(), THRESHOLD, scans::add);
        store.close();
        scans.getFirst().run(); // no exception, no failure: the pinned state's mapping stayed valid
        try (Store again = Store.open(dir)) {
            again.verify();
        }
    }

    /** KEYS values of ~1 KB, every other one deleted; returns the free pages a walk at open finds afterwards. */
    private long fill() throws Exception {
        try (Store store = Store.open(dir)) {
            try (WriteTxn w = store.beginWrite()) {
                for (int i = 0; i < KEYS; i++) {
                    w.put("t", key(i), value(i));
                }
                w.commit();
            }
            try (WriteTxn w = store.beginWrite()) {
                for (int i = 0; i < KEYS; i += 2) {
                    w.delete("t", key(i));
                }
                w.commit();
            }
        }
        try (Store store = Store.open(dir)) {
            return store.stats().freePages();
        }
    }

    private static void churn(Store store, int round) {
        for (int batch = 0; batch < 5; batch++) {
            try (WriteTxn w = store.beginWrite()) {
                for (int i = 1 + 2 * batch; i < KEYS; i += 10) {
                    w.put("t", key(i), value(i * 31));
                }
                w.put("u", key(round * 5 + batch), value(round));
                w.commit();
            }
        }
    }

    private static byte[] key(int i) {
        return String.format("k%06d", i).getBytes();
    }

    private static byte[] value(int i) {
        byte[] v = new byte[1000];
        java.util.Arrays.fill(v, (byte) i);
        v[0] = (byte) (i >> 8);
        return v;
    }
}
