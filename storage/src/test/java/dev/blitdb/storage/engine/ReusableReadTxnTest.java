package dev.blitdb.storage.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A read transaction reopened again and again pins the newest snapshot each time and releases it on each close. */
class ReusableReadTxnTest {

    @TempDir
    Path dir;

    /** No background checkpoints: a checkpoint pins a snapshot of its own, and these tests count pins. */
    private static final StoreOptions OPTIONS = StoreOptions.defaults().withMinGrowth(1 << 20)
            .withDurability(Durability.NO_SYNC).withCheckpoints(Long.MAX_VALUE, java.time.Duration.ZERO);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(MemorySegment v) {
        return v == null ? null : new String(v.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private static void put(Store store, String tree, String key, String value) {
        try (WriteTxn w = store.beginWrite()) {
            w.put(tree, bytes(key), bytes(value));
            w.commit();
        }
    }

    @Test
    void shouldShowTheNewestCommitAtEachOpeningAndKeepItsSnapshotWhileOpen() throws Exception {
        try (Store store = Store.open(dir, OPTIONS)) {
            put(store, "t", "k", "v1");
            ReadTxn r = ReadTxn.reusable();
            for (int round = 1; round <= 50; round++) {
                try (ReadTxn open = r.reopen(store)) {
                    assertEquals(r, open);
                    assertEquals("v" + round, text(r.get("t", bytes("k"))));
                    // a tree first seen by the previous opening, then created: the tree cache must not carry over
                    assertEquals(round == 1 ? null : "seen " + (round - 1), text(r.get("u" + (round % 2), bytes("k"))),
                            "round " + round);
                    put(store, "t", "k", "v" + (round + 1)); // a commit while it is open: not seen
                    put(store, "u" + ((round + 1) % 2), "k", "seen " + round);
                    assertEquals("v" + round, text(r.get("t", bytes("k"))));
                    assertEquals(1, store.stats().openReaders());
                }
                assertEquals(0, store.stats().openReaders(), "round " + round + " released its snapshot");
            }
        }
    }

    @Test
    void shouldRefuseReadsWhileClosedAndAReopenWhileOpen() throws Exception {
        try (Store store = Store.open(dir, OPTIONS)) {
            put(store, "t", "k", "v");
            ReadTxn r = ReadTxn.reusable();
            assertTrue(assertThrows(StoreClosedException.class, () -> r.get("t", bytes("k"))).getMessage()
                    .contains("never opened"));
            r.reopen(store);
            assertThrows(IllegalStateException.class, () -> r.reopen(store));
            assertEquals(1, store.stats().openReaders(), "the refused reopen pinned nothing more");
            r.close();
            r.close(); // idempotent: released once
            assertEquals(0, store.stats().openReaders());
            assertThrows(StoreClosedException.class, () -> r.get("t", bytes("k")));
        }
    }

    @Test
    void shouldMoveFromStoreToStoreAndFailOnAClosedOne() throws Exception {
        ReadTxn r = ReadTxn.reusable();
        try (Store a = Store.open(dir.resolve("a"), OPTIONS); Store b = Store.open(dir.resolve("b"), OPTIONS)) {
            put(a, "t", "k", "in a");
            put(b, "other", "k", "in b");
            for (int i = 0; i < 3; i++) {
                try (ReadTxn open = r.reopen(a)) {
                    assertEquals("in a", text(open.get("t", bytes("k"))));
                    assertNull(open.get("other", bytes("k")));
                }
                try (ReadTxn open = r.reopen(b)) {
                    assertEquals("in b", text(open.get("other", bytes("k"))));
                    assertNull(open.get("t", bytes("k")));
                    assertEquals(0, a.stats().openReaders());
                    assertEquals(1, b.stats().openReaders());
                }
            }
            b.close();
            assertThrows(StoreClosedException.class, () -> r.reopen(b));
            try (ReadTxn open = r.reopen(a)) { // a refused opening leaves it closed and reusable
                assertEquals("in a", text(open.get("t", bytes("k"))));
            }
        }
    }

    @Test
    void shouldLeaveEachSnapshotDeadOnceClosedAndReplaced() throws Exception {
        try (Store store = Store.open(dir, OPTIONS)) {
            put(store, "t", "k", "v");
            ReadTxn r = ReadTxn.reusable();
            for (int i = 0; i < 200; i++) {
                Snapshot pinned;
                try (ReadTxn open = r.reopen(store)) {
                    pinned = open.snapshot();
                    put(store, "t", "k", "v" + i); // replaces it as the newest: only this reader holds it now
                    assertFalse(pinned.dead(), "pinned while open");
                }
                assertTrue(pinned.dead(), "round " + i + ": closing released the pin (the writer may recycle its "
                        + "pages)");
            }
        }
    }
}
