package dev.blitdb.storage.backup;

import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.StoredDocument;
import dev.blitdb.storage.engine.SnapshotCopy;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Full backups of a document store: taken under writes, restored = the snapshot's documents (id, change vector,
 * bytes); incomplete, damaged and space-starved backups refused or cleaned up with messages naming file and check.
 */
class FullBackupTest {

    private static final StoreOptions OPTIONS = StoreOptions.defaults().withMinGrowth(1 << 20);

    @TempDir
    Path dir;

    private static byte[] doc(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return new BlitWriter().convert(b, 0, b.length).toByteArray();
    }

    /** id → change vector + hex of the stored bytes, for every document of the snapshot. */
    private static TreeMap<String, String> documents(DocumentReader r) {
        var out = new TreeMap<String, String>();
        StoredDocument d = new StoredDocument();
        var it = r.byEtag(0);
        while (it.next(d)) {
            out.put(d.id(), d.changeVector() + " " + d.collection() + " "
                    + HexFormat.of().formatHex(d.blittable().toArray(ValueLayout.JAVA_BYTE)));
        }
        return out;
    }

    private static DocumentStore open(Path p) throws IOException {
        return DocumentStore.open(p, OPTIONS, MergerOptions.defaults());
    }

    private static void load(DocumentStore store, int n) {
        for (int i = 0; i < n; i++) {
            String pad = "x".repeat(i % 7 == 0 ? 6000 : 20);
            store.put("users/" + i, doc("{\"Name\":\"u" + i + "\",\"Pad\":\"" + pad + "\",\"@metadata\":{"
                    + "\"@collection\":\"Users\"}}"), null).join();
        }
        store.reserveIds("Users", 500).join();
    }

    @Test
    void shouldRestoreExactlyTheSnapshotTakenWhileWritesGoOn() throws Exception {
        Path backups = dir.resolve("backups");
        TreeMap<String, String> expected;
        BackupManifest manifest;
        try (DocumentStore store = open(dir.resolve("src"))) {
            load(store, 400);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger written = new AtomicInteger();
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    store.put("users/" + (i % 600), doc("{\"V\":" + i + "}"), null).join();
                    if (i % 5 == 0) {
                        store.delete("users/" + (i % 300), null).join();
                    }
                    written.incrementAndGet();
                }
            });
            try (DocumentReader snapshot = store.beginRead()) {
                while (written.get() < 20) {
                    Thread.onSpinWait();
                }
                manifest = FullBackup.write(store, snapshot, backups, "shop", (d, t) -> java.util.concurrent.locks.LockSupport.parkNanos(200_000),
                        BackupFiles.Target.FILES);
                expected = documents(snapshot);
                assertEquals(snapshot.lastEtag(), manifest.lastEtag());
            } finally {
                stop.set(true);
                writer.join();
            }
            assertTrue(written.get() > 20, "writes went on during the backup");
        }
        assertTrue(manifest.file().endsWith(BackupFiles.FULL_SUFFIX), manifest.file());
        assertEquals(1, manifest.chunkCrc32c().size());
        BackupRestore.Result restored = BackupRestore.restore(BackupChain.of(backups, null), dir.resolve("restored"),
                (d, t) -> { });
        assertEquals(manifest.lastEtag(), restored.lastEtag());
        try (DocumentStore copy = open(dir.resolve("restored")); DocumentReader r = copy.beginRead()) {
            copy.engine().verify();
            assertEquals(expected, documents(r));
            assertEquals(501, copy.reserveIds("users", 1).join().first(), "hi-lo state restored");
        }
    }

    private Path oneBackup() throws IOException {
        Path backups = dir.resolve("b");
        try (DocumentStore store = open(dir.resolve("s"))) {
            load(store, 50);
            FullBackup.write(store, backups, "shop", SnapshotCopy.Listener.NONE, BackupFiles.Target.FILES);
        }
        return backups;
    }

    private static Path only(Path folder, String suffix) throws IOException {
        try (var l = Files.list(folder)) {
            List<Path> all = l.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
            assertEquals(1, all.size(), all.toString());
            return all.getFirst();
        }
    }

    @Test
    void shouldRefuseABackupWithOneFlippedByteNamingTheFileAndTheCheck() throws Exception {
        Path backups = oneBackup();
        Path file = only(backups, BackupFiles.FULL_SUFFIX);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, 3 * 4096 + 100);
            b.put(0, (byte) (b.get(0) ^ 0x10));
            ch.write(b.flip(), 3 * 4096 + 100);
        }
        var e = assertThrows(BackupInvalidException.class, () -> BackupRestore.restore(BackupChain.of(backups, null),
                dir.resolve("r"), (d, t) -> { }));
        assertEquals(file.toString(), e.file());
        assertEquals("checksum", e.check());
        assertTrue(e.getMessage().contains("chunk 0"), e.getMessage());
    }

    @Test
    void shouldRefuseABackupWithoutManifestAsIncomplete() throws Exception {
        Path backups = oneBackup();
        Path file = only(backups, BackupFiles.FULL_SUFFIX);
        Files.delete(BackupFiles.manifestOf(file));
        var e = assertThrows(BackupInvalidException.class, () -> BackupChain.of(backups, file.getFileName().toString()));
        assertEquals("completeness", e.check());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void shouldRefuseATruncatedBackup() throws Exception {
        Path backups = oneBackup();
        Path file = only(backups, BackupFiles.FULL_SUFFIX);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 4096);
        }
        var e = assertThrows(BackupInvalidException.class, () -> BackupRestore.restore(BackupChain.of(backups, null),
                dir.resolve("r"), (d, t) -> { }));
        assertEquals("size", e.check());
    }

    @Test
    void shouldFailCleanlyWhenTheTargetIsFullAndLeaveTheSourceUntouched() throws Exception {
        Path backups = dir.resolve("full-disk");
        try (DocumentStore store = open(dir.resolve("s"))) {
            load(store, 300);
            TreeMap<String, String> before;
            try (DocumentReader r = store.beginRead()) {
                before = documents(r);
            }
            BackupFiles.Target tiny = file -> new LimitedChannel(FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), 64 * 1024);
            var e = assertThrows(BackupSpaceException.class, () -> FullBackup.write(store, backups, "shop",
                    SnapshotCopy.Listener.NONE, tiny));
            assertTrue(e.getMessage().contains("No space left on device") && e.getMessage().contains("removed"),
                    e.getMessage());
            try (var l = Files.list(backups)) {
                assertEquals(0, l.count(), "the partial file was removed");
            }
            store.engine().verify();
            try (DocumentReader r = store.beginRead()) {
                assertEquals(before, documents(r));
            }
            store.put("after", doc("{}"), null).join(); // the source still takes writes
        }
    }

    /** A channel that fails like a full disk once {@code limit} bytes were written. */
    private static final class LimitedChannel implements WritableByteChannel {
        private final WritableByteChannel out;
        private long left;

        LimitedChannel(WritableByteChannel out, long limit) {
            this.out = out;
            this.left = limit;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (src.remaining() > left) {
                throw new IOException("No space left on device");
            }
            left -= src.remaining();
            return out.write(src);
        }

        @Override
        public boolean isOpen() {
            return out.isOpen();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    @Test
    void shouldNameNewBackupsInTimeOrder() throws Exception {
        Path f = dir.resolve("names");
        Files.createDirectories(f);
        Path a = BackupFiles.newFile(f, BackupFiles.FULL_SUFFIX);
        Files.createFile(a);
        Path b = BackupFiles.newFile(f, BackupFiles.FULL_SUFFIX);
        assertTrue(b.getFileName().toString().compareTo(a.getFileName().toString()) > 0, a + " " + b);
        assertFalse(a.equals(b));
    }
}
