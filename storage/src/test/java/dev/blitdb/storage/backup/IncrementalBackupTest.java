package dev.blitdb.storage.backup;

import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.StoredDocument;
import dev.blitdb.storage.documents.Tombstone;
import dev.blitdb.storage.engine.SnapshotCopy;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Incremental backups, model-based: random puts (new ids, updates, collection moves, large documents) and deletes
 * between backups; restoring up to each file of the chain gives exactly the database as it was at that backup
 * (documents by id, change vector, collection and bytes; tombstones; collection counts; hi-lo). Broken chains —
 * a missing link, another database's file, a flipped byte, a truncated file — are refused naming file and check.
 */
class IncrementalBackupTest {

    private static final StoreOptions OPTIONS = StoreOptions.defaults().withMinGrowth(1 << 20);

    @TempDir
    Path dir;

    private static byte[] doc(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return new BlitWriter().convert(b, 0, b.length).toByteArray();
    }

    private static DocumentStore open(Path p) throws IOException {
        return DocumentStore.open(p, OPTIONS, MergerOptions.defaults());
    }

    /** Everything a restore must reproduce, as text (so a failure shows the difference). */
    private static String state(DocumentStore store) {
        try (DocumentReader r = store.beginRead()) {
            var docs = new TreeMap<String, String>();
            StoredDocument d = new StoredDocument();
            var it = r.byEtag(0);
            while (it.next(d)) {
                docs.put(d.id(), d.changeVector() + " " + d.collection() + " " + d.lastModifiedMillis() + " "
                        + HexFormat.of().formatHex(d.blittable().toArray(ValueLayout.JAVA_BYTE)));
            }
            var byId = new TreeMap<String, String>();
            var idIt = r.startsWith("", 0);
            while (idIt.next(d)) {
                byId.put(d.id(), d.changeVector());
            }
            List<String> tombs = new ArrayList<>();
            for (Tombstone t : r.tombstones(0, null, Integer.MAX_VALUE)) {
                tombs.add(t.toString());
            }
            var perCollection = new TreeMap<String, String>();
            for (String c : r.collections().keySet()) {
                var cIt = r.collection(c, 0);
                List<String> ids = new ArrayList<>();
                while (cIt.next(d)) {
                    ids.add(d.id());
                }
                perCollection.put(c, ids.toString());
            }
            return "lastEtag=" + r.lastEtag() + " count=" + r.documentCount() + "\ndocs=" + docs + "\nbyId=" + byId
                    + "\ntombstones=" + tombs + "\ncollections=" + r.collections() + " " + perCollection
                    + "\nhilo=" + r.hiLo();
        }
    }

    private static void randomChanges(DocumentStore store, Random rnd, int n) {
        String[] collections = {"Users", "Orders", "Products"};
        for (int i = 0; i < n; i++) {
            String id = "docs/" + rnd.nextInt(150);
            int op = rnd.nextInt(10);
            if (op < 3) {
                store.delete(id, null).join();
            } else if (op == 3) {
                store.reserveIds(collections[rnd.nextInt(3)], 1 + rnd.nextInt(50)).join();
            } else {
                String pad = rnd.nextInt(20) == 0 ? "y".repeat(9000) : "p" + rnd.nextInt(1000);
                store.put(op == 4 ? id.toUpperCase() : id, doc("{\"V\":" + rnd.nextInt() + ",\"Pad\":\"" + pad
                        + "\",\"@metadata\":{\"@collection\":\"" + collections[rnd.nextInt(3)] + "\"}}"), null).join();
            }
        }
    }

    @Test
    void restoreAtEveryPointOfTheChainEqualsTheDatabaseAtThatBackup() throws Exception {
        Path backups = dir.resolve("backups");
        Random rnd = new Random(42);
        List<String> files = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        try (DocumentStore store = open(dir.resolve("src"))) {
            randomChanges(store, rnd, 300);
            BackupManifest full = FullBackup.write(store, backups, "shop", SnapshotCopy.Listener.NONE,
                    BackupFiles.Target.FILES);
            files.add(full.file());
            expected.add(state(store));
            for (int round = 0; round < 6; round++) {
                randomChanges(store, rnd, round == 2 ? 0 : 40 + rnd.nextInt(200)); // round 2: nothing changed
                BackupManifest base = IncrementalBackup.base(store, backups);
                assertEquals(files.getLast(), base.file());
                BackupManifest inc = IncrementalBackup.write(store, base, backups, "shop",
                        SnapshotCopy.Listener.NONE, BackupFiles.Target.FILES);
                assertEquals(BackupManifest.INCREMENTAL, inc.type());
                assertEquals(base.lastEtag(), inc.fromEtag());
                assertTrue(inc.file().endsWith(BackupFiles.INCREMENTAL_SUFFIX), inc.file());
                files.add(inc.file());
                expected.add(state(store));
            }
        }
        for (int i = 0; i < files.size(); i++) {
            Path target = dir.resolve("restored-" + i);
            BackupChain chain = BackupChain.of(backups, files.get(i));
            assertEquals(i + 1, chain.entries().size());
            long[] progress = {0, 0};
            BackupRestore.Result r = BackupRestore.restore(chain, target, (done, total) -> {
                assertTrue(done >= progress[0] && done <= total, done + " of " + total);
                progress[0] = done;
                progress[1] = total;
            });
            assertEquals(progress[1], progress[0], "progress reaches the total");
            assertEquals(i + 1, r.files());
            try (DocumentStore restored = open(target)) {
                restored.engine().verify();
                assertEquals(expected.get(i), state(restored), "restore up to " + files.get(i));
                restored.put("after-restore", doc("{}"), null).join(); // etags continue after the chain
            }
        }
        // No UpTo: the whole chain.
        BackupRestore.restore(BackupChain.of(backups, null), dir.resolve("restored-all"), (d, t) -> { });
        try (DocumentStore restored = open(dir.resolve("restored-all"))) {
            assertEquals(expected.getLast(), state(restored));
        }
    }

    private List<BackupManifest> chainOfThree(Path backups) throws IOException {
        List<BackupManifest> out = new ArrayList<>();
        try (DocumentStore store = open(dir.resolve("s"))) {
            Random rnd = new Random(7);
            randomChanges(store, rnd, 100);
            out.add(FullBackup.write(store, backups, "shop", SnapshotCopy.Listener.NONE, BackupFiles.Target.FILES));
            for (int i = 0; i < 2; i++) {
                randomChanges(store, rnd, 100);
                out.add(IncrementalBackup.write(store, IncrementalBackup.base(store, backups), backups, "shop",
                        SnapshotCopy.Listener.NONE, BackupFiles.Target.FILES));
            }
        }
        return out;
    }

    @Test
    void aMissingLinkIsRefusedNamingTheFileAfterTheGap() throws Exception {
        Path backups = dir.resolve("b");
        List<BackupManifest> chain = chainOfThree(backups);
        Path middle = backups.resolve(chain.get(1).file());
        Files.delete(middle);
        Files.delete(BackupFiles.manifestOf(middle));
        var e = assertThrows(BackupInvalidException.class, () -> BackupChain.of(backups, null));
        assertEquals("chain", e.check());
        assertEquals(backups.resolve(chain.get(2).file()).toString(), e.file());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        // Up to the full backup still restores.
        BackupRestore.restore(BackupChain.of(backups, chain.get(0).file()), dir.resolve("r"), (d, t) -> { });
    }

    @Test
    void aFileOfAnotherDatabaseIsRefused() throws Exception {
        Path backups = dir.resolve("b");
        List<BackupManifest> chain = chainOfThree(backups);
        Path other = dir.resolve("other");
        try (DocumentStore store = open(dir.resolve("o"))) {
            randomChanges(store, new Random(1), 50);
            FullBackup.write(store, other, "x", SnapshotCopy.Listener.NONE, BackupFiles.Target.FILES);
            randomChanges(store, new Random(2), 20);
            // Written after the first chain, so its name sorts after it: it poses as the next link.
            var fake = IncrementalBackup.write(store, IncrementalBackup.base(store, other), other, "x",
                    SnapshotCopy.Listener.NONE, BackupFiles.Target.FILES);
            // An incremental of this database into the first database's folder is refused up front.
            var refused = assertThrows(BackupInvalidException.class, () -> IncrementalBackup.base(store,
                    backups));
            assertEquals("chain", refused.check());
            Path src = other.resolve(fake.file());
            Path dst = backups.resolve(fake.file());
            Files.copy(src, dst);
            Files.copy(BackupFiles.manifestOf(src), BackupFiles.manifestOf(dst));
            var e = assertThrows(BackupInvalidException.class, () -> BackupChain.of(backups, null));
            assertEquals("chain", e.check());
            assertEquals(dst.toString(), e.file());
            assertTrue(e.getMessage().contains(store.databaseId()), e.getMessage());
        }
    }

    @Test
    void aFlippedByteInAnIncrementalIsRefusedBeforeAnythingIsApplied() throws Exception {
        Path backups = dir.resolve("b");
        List<BackupManifest> chain = chainOfThree(backups);
        Path file = backups.resolve(chain.get(1).file());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            long at = ch.size() / 2;
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x01));
            ch.write(b.flip(), at);
        }
        var e = assertThrows(BackupInvalidException.class, () -> BackupRestore.restore(BackupChain.of(backups, null),
                dir.resolve("r"), (d, t) -> { }));
        assertEquals(file.toString(), e.file());
        assertEquals("checksum", e.check());
        // The frame checksums catch it too when the file is read as a stream (no manifest involved).
        try (var in = new IncrementalFile.Reader(Files.newInputStream(file), file.toString())) {
            var frameError = assertThrows(BackupInvalidException.class, () -> {
                while (in.next() != null) {
                    // read every frame
                }
            });
            assertTrue(frameError.check().equals("checksum") || frameError.check().equals("format"),
                    frameError.getMessage());
        }
    }

    @Test
    void aTruncatedIncrementalIsRefused() throws Exception {
        Path backups = dir.resolve("b");
        List<BackupManifest> chain = chainOfThree(backups);
        Path file = backups.resolve(chain.get(2).file());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 10);
        }
        var e = assertThrows(BackupInvalidException.class, () -> BackupRestore.restore(BackupChain.of(backups, null),
                dir.resolve("r"), (d, t) -> { }));
        assertEquals(file.toString(), e.file());
        assertEquals("size", e.check());
    }

    @Test
    void anIncrementalWithoutManifestIsIncompleteAndSkippedBeforeTheChosenFile() throws Exception {
        Path backups = dir.resolve("b");
        List<BackupManifest> chain = chainOfThree(backups);
        Path last = backups.resolve(chain.get(2).file());
        Files.delete(BackupFiles.manifestOf(last));
        var e = assertThrows(BackupInvalidException.class, () -> BackupChain.of(backups, null));
        assertEquals("completeness", e.check());
        assertEquals(2, BackupChain.of(backups, chain.get(1).file()).entries().size());
        // The next incremental follows the newest complete backup, so the chain stays whole.
        assertEquals(chain.get(1).file(), BackupChain.newestComplete(backups).file());
    }

    @Test
    void anIncrementalAfterTombstonesPurgedPastItsBaseIsRefusedAndWritesNothing() throws Exception {
        Path backups = dir.resolve("b");
        try (DocumentStore store = open(dir.resolve("src"))) {
            for (int i = 0; i < 10; i++) {
                store.put("docs/" + i, doc("{\"I\":" + i + "}"), null).join();
            }
            store.delete("docs/0", null).join(); // etag 11
            BackupManifest full = FullBackup.write(store, backups, "shop", SnapshotCopy.Listener.NONE,
                    BackupFiles.Target.FILES);
            // Purging the tombstone the full backup holds leaves the chain whole.
            assertEquals(1L, store.purgeTombstones(full.lastEtag(), 100).join());
            try (DocumentReader r = store.beginRead()) {
                assertEquals(11, r.purgedTombstonesTo());
            }
            assertEquals(null, IncrementalBackup.gap(store, full));
            store.delete("docs/1", null).join(); // etag 12: after the full backup
            BackupManifest inc = IncrementalBackup.write(store, full, backups, "shop", SnapshotCopy.Listener.NONE,
                    BackupFiles.Target.FILES);
            assertEquals(1L, inc.tombstones(), inc + " " + full);
            store.delete("docs/2", null).join(); // etag 13, then purged before the next incremental
            assertEquals(2L, store.purgeTombstones(13, 100).join()); // etags 12 and 13
            String gap = IncrementalBackup.gap(store, IncrementalBackup.base(store, backups));
            assertTrue(gap != null && gap.contains("up to etag 13") && gap.contains("ends at etag 12")
                    && gap.contains("take a full backup"), gap);
            long files;
            try (var l = Files.list(backups)) {
                files = l.count();
            }
            var e = assertThrows(BackupInvalidException.class, () -> IncrementalBackup.write(store,
                    IncrementalBackup.base(store, backups), backups, "shop", SnapshotCopy.Listener.NONE,
                    BackupFiles.Target.FILES));
            assertEquals("chain", e.check());
            assertEquals(backups.resolve(inc.file()).toString(), e.file());
            assertTrue(e.getMessage().contains("purged"), e.getMessage());
            try (var l = Files.list(backups)) {
                assertEquals(files, l.count()); // no partial file left behind
            }
            // A full backup starts a new chain; the next incremental follows it.
            BackupManifest full2 = FullBackup.write(store, backups, "shop", SnapshotCopy.Listener.NONE,
                    BackupFiles.Target.FILES);
            assertEquals(null, IncrementalBackup.gap(store, full2));
            // The mark survives a reopen and comes with a restored copy (it lives in the store).
            BackupRestore.restore(BackupChain.of(backups, null), dir.resolve("r"), (d, t) -> { });
        }
        try (DocumentStore restored = open(dir.resolve("r")); DocumentReader r = restored.beginRead()) {
            assertEquals(13, r.purgedTombstonesTo());
            assertEquals(7, r.documentCount());
        }
    }
}
