package dev.blitdb.storage.documents;

import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link DocumentStore#applyLogEntry} and {@link DocumentStore#applyLogEntries}: deterministic, per-operation outcomes, position committed with the writes. */
class LogEntryApplyTest {

    private static final StoreOptions OPTIONS = StoreOptions.defaults().withMinGrowth(1 << 20);
    private static final long T = 1_764_000_000_000L;

    @TempDir
    Path dir;

    private final BlitWriter blit = new BlitWriter();

    private byte[] doc(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return blit.convert(b, 0, b.length).toByteArray();
    }

    private List<ReplicatedOperation> entry() {
        return List.of(
                new ReplicatedOperation.Put("users/1", doc("{\"Name\":\"Ann\",\"@metadata\":{\"@collection\":\"Users\"}}"), null),
                new ReplicatedOperation.Put("users/2", doc("{\"Name\":\"Bo\"}"), "A:99-nope"),
                new ReplicatedOperation.Batch(List.of(
                        new DocumentCommand.Put("users/3", doc("{\"Name\":\"Cy\"}"), null),
                        new DocumentCommand.Put("users/1", doc("{\"Name\":\"x\"}"), ""))),
                new ReplicatedOperation.ReserveIds("Users", 10),
                new ReplicatedOperation.Delete("users/1", null));
    }

    private static byte[] stored(DocumentStore db, String id) {
        try (DocumentReader r = db.beginRead()) {
            StoredDocument d = new StoredDocument();
            assertTrue(r.get(id, d), id);
            return d.record().toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Test
    void shouldGiveEveryOperationItsOwnOutcomeAndTheSameBytesOnTwoStores() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        try (var one = DocumentStore.open(a, OPTIONS, MergerOptions.defaults(), "group-1");
             var two = DocumentStore.open(b, OPTIONS, MergerOptions.defaults(), "group-1")) {
            List<ReplicatedOutcome> first = one.applyLogEntry(new LogPosition(1, 5), T, entry());
            List<ReplicatedOutcome> second = two.applyLogEntry(new LogPosition(1, 5), T, entry());
            assertEquals(5, first.size());
            var put = assertInstanceOf(ReplicatedOutcome.Stored.class, first.get(0));
            assertEquals("A:1-group-1", put.result().changeVector());
            var conflict = assertInstanceOf(ReplicatedOutcome.Rejected.class, first.get(1));
            assertInstanceOf(ConcurrencyConflictException.class, conflict.cause());
            // The batch's second command conflicts after its first changed pages: rerun without it, none applied.
            var batch = assertInstanceOf(ReplicatedOutcome.Rejected.class, first.get(2));
            assertInstanceOf(BatchCommandException.class, batch.cause());
            var range = assertInstanceOf(ReplicatedOutcome.Reserved.class, first.get(3));
            assertEquals(1, range.range().first());
            assertInstanceOf(ReplicatedOutcome.Deleted.class, first.get(4));
            assertEquals(first.toString().replaceAll("@[0-9a-f]+", ""), second.toString().replaceAll("@[0-9a-f]+", ""));

            var next = List.<ReplicatedOperation>of(new ReplicatedOperation.Put("users/9", doc("{\"A\":1}"), null));
            one.applyLogEntry(new LogPosition(2, 7), T + 5, next);
            two.applyLogEntry(new LogPosition(2, 7), T + 5, next);
            assertArrayEquals(stored(one, "users/9"), stored(two, "users/9"));
            try (DocumentReader r = one.beginRead()) {
                StoredDocument d = new StoredDocument();
                r.get("users/9", d);
                assertEquals(T + 5, d.lastModifiedMillis());
                assertEquals("A:" + d.etag() + "-group-1", d.changeVector());
                assertTrue(!r.get("users/3", d), "the rejected batch left nothing");
            }
            assertEquals(new LogPosition(2, 7), one.appliedLogPosition());
            assertThrows(IllegalStateException.class, () -> one.applyLogEntry(new LogPosition(2, 7), T, next));
        }
        try (var one = DocumentStore.open(a, OPTIONS, MergerOptions.defaults(), "group-1")) {
            assertEquals(new LogPosition(2, 7), one.appliedLogPosition(), "position survives a restart");
        }
        assertThrows(IllegalStateException.class,
                () -> DocumentStore.open(a, OPTIONS, MergerOptions.defaults(), "another"));
    }

    @Test
    void shouldApplyEntriesGroupedInOneCommitExactlyAsOneByOne() throws Exception {
        var third = List.<ReplicatedOperation>of(new ReplicatedOperation.Put("users/1", doc("{\"N\":3}"), null),
                new ReplicatedOperation.Delete("users/2", null));
        List<ReplicatedEntry> entries = List.of(
                new ReplicatedEntry(new LogPosition(1, 3), T, entry()), // a part-way failure: reruns the group
                new ReplicatedEntry(new LogPosition(1, 4), T + 1, List.of(
                        new ReplicatedOperation.Put("users/2", doc("{\"N\":2}"), null))),
                new ReplicatedEntry(new LogPosition(2, 6), T + 2, third));
        try (var single = DocumentStore.open(dir.resolve("a"), OPTIONS, MergerOptions.defaults(), "group-1");
             var grouped = DocumentStore.open(dir.resolve("b"), OPTIONS, MergerOptions.defaults(), "group-1")) {
            List<List<ReplicatedOutcome>> one = new java.util.ArrayList<>();
            for (ReplicatedEntry e : entries) {
                one.add(single.applyLogEntry(e.position(), e.timestamp(), e.operations()));
            }
            long commitsBefore = grouped.merger().stats().commits();
            List<List<ReplicatedOutcome>> all = grouped.applyLogEntries(entries);
            assertEquals(1, grouped.merger().stats().commits() - commitsBefore, "one commit for the three entries");
            assertEquals(one.toString().replaceAll("@[0-9a-f]+", ""), all.toString().replaceAll("@[0-9a-f]+", ""));
            assertInstanceOf(ReplicatedOutcome.Rejected.class, all.get(0).get(2)); // the rerun batch
            assertInstanceOf(ReplicatedOutcome.Deleted.class, all.get(2).get(1));
            assertArrayEquals(stored(single, "users/1"), stored(grouped, "users/1"));
            assertEquals(new LogPosition(2, 6), grouped.appliedLogPosition());
            // Out of order inside a group (or behind the applied position): refused, nothing applied.
            assertThrows(IllegalStateException.class, () -> grouped.applyLogEntries(List.of(
                    new ReplicatedEntry(new LogPosition(2, 8), T, third),
                    new ReplicatedEntry(new LogPosition(2, 7), T, third))));
            assertEquals(new LogPosition(2, 6), grouped.appliedLogPosition());
        }
    }

    @Test
    void shouldPurgeTheSameTombstonesOnEveryStoreAtTheSameLogIndex() throws Exception {
        try (var one = DocumentStore.open(dir.resolve("a"), OPTIONS, MergerOptions.defaults(), "group-1");
             var two = DocumentStore.open(dir.resolve("b"), OPTIONS, MergerOptions.defaults(), "group-1")) {
            List<ReplicatedOperation> writes = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                writes.add(new ReplicatedOperation.Put("users/" + i, doc("{\"N\":" + i + "}"), null));
            }
            for (int i = 0; i < 6; i++) {
                writes.add(new ReplicatedOperation.Delete("users/" + i, null));
            }
            for (DocumentStore db : List.of(one, two)) {
                db.applyLogEntry(new LogPosition(1, 1), T, writes);
            }
            long fourthTombstone;
            try (DocumentReader r = one.beginRead()) {
                fourthTombstone = r.tombstones(0, null, 100).get(3).etag();
            }
            // Up to the 4th tombstone's etag, at most 3 of them: the first three go, on both stores alike.
            var purge = List.<ReplicatedOperation>of(new ReplicatedOperation.PurgeTombstones(fourthTombstone, 3),
                    new ReplicatedOperation.PurgeTombstones(fourthTombstone, 0));
            List<ReplicatedOutcome> first = one.applyLogEntry(new LogPosition(1, 2), T, purge);
            List<ReplicatedOutcome> second = two.applyLogEntry(new LogPosition(1, 2), T, purge);
            assertEquals(new ReplicatedOutcome.Purged(3), first.get(0));
            assertEquals(new ReplicatedOutcome.Purged(3), second.get(0));
            assertInstanceOf(IllegalArgumentException.class,
                    assertInstanceOf(ReplicatedOutcome.Rejected.class, first.get(1)).cause());
            try (DocumentReader a = one.beginRead(); DocumentReader b = two.beginRead()) {
                List<Tombstone> left = a.tombstones(0, null, 100);
                assertEquals(3, left.size());
                assertEquals(fourthTombstone, left.get(0).etag());
                assertEquals(left, b.tombstones(0, null, 100));
            }
            assertEquals(new LogPosition(1, 2), two.appliedLogPosition());
        }
    }
}
