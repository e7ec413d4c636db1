package dev.blitdb.storage.backup;

import dev.blitdb.blittable.BlitFormat;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.engine.SnapshotCopy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes a full backup of a document store while it keeps taking writes: a {@link SnapshotCopy} of one read
 * snapshot (documents, tombstones, collections, hi-lo counters, index definitions — everything in the store) to
 * {@code <stamp>.full.blit}, synced, then its manifest. Any failure removes the partial file; the store itself is
 * only read.
 */
public final class FullBackup {

    private FullBackup() {
    }

    /**
     * Backs {@code store} up into {@code folder} (created if missing).
     *
     * @param databaseName recorded in the manifest
     * @param listener     pages written so far of the total (may throw to stop)
     * @return the manifest written
     * @throws BackupSpaceException when the target is full; the partial file is removed
     */
    public static BackupManifest write(DocumentStore store, Path folder, String databaseName,
                                       SnapshotCopy.Listener listener, BackupFiles.Target target) throws IOException {
        try (DocumentReader reader = store.beginRead()) {
            return write(store, reader, folder, databaseName, listener, target);
        }
    }

    /** As {@link #write(DocumentStore, Path, String, SnapshotCopy.Listener, BackupFiles.Target)}, of the snapshot
     * {@code reader} shows (which stays open). */
    public static BackupManifest write(DocumentStore store, DocumentReader reader, Path folder, String databaseName,
                                       SnapshotCopy.Listener listener, BackupFiles.Target target) throws IOException {
        return write(store, reader, folder, databaseName, listener, target, List.of(), List.of());
    }

    /** A file to keep beside the data file: {@code path} relative to the database folder, read from {@code source}. */
    public record Attachment(String path, Path source) {
    }

    /**
     * As {@link #write(DocumentStore, DocumentReader, Path, String, SnapshotCopy.Listener, BackupFiles.Target)},
     * also copying {@code attachments} (files that do not change while they are copied: a pinned Lucene commit's)
     * into {@code <file>.files/}, each with its length and CRC32C in the manifest; {@code indexes} names the
     * indexes they hold.
     */
    public static BackupManifest write(DocumentStore store, DocumentReader reader, Path folder, String databaseName,
                                       SnapshotCopy.Listener listener, BackupFiles.Target target,
                                       List<Attachment> attachments, List<String> indexes) throws IOException {
        Files.createDirectories(folder);
        Path file = BackupFiles.newFile(folder, BackupFiles.FULL_SUFFIX);
        BackupManifest manifest;
        boolean done = false;
        try (WritableByteChannel out = target.create(file)) {
            var checksums = new ChecksummingChannel(out);
            // The copy walks trees, not the file in order: ask the kernel to read the whole file ahead, as cp's
            // sequential reads get readahead (a no-op for pages already cached).
            store.engine().prefetchPages(0, Long.MAX_VALUE);
            SnapshotCopy.Result copied = SnapshotCopy.copy(reader.txn(), checksums, listener);
            if (out instanceof FileChannel fc) {
                fc.force(true);
            }
            List<BackupManifest.FileEntry> entries = new ArrayList<>();
            for (Attachment a : attachments) {
                entries.add(copyAttachment(a, BackupFiles.attachmentsOf(file).resolve(a.path()), target));
            }
            if (!attachments.isEmpty()) {
                BackupFiles.syncTree(BackupFiles.attachmentsOf(file));
            }
            manifest = new BackupManifest(BackupManifest.FORMAT_VERSION, BackupManifest.FULL,
                    file.getFileName().toString(), checksums.bytes(), checksums.finish(), store.databaseId(),
                    databaseName, 0, reader.lastEtag(), copied.txnId(), copied.pages(), reader.documentCount(), 0,
                    Instant.now().toString(), BackupManifest.buildVersion(), SnapshotCopy.STORE_FORMAT_VERSION,
                    BlitFormat.VERSION, indexes, entries);
            done = true;
        } catch (IOException e) {
            if (BackupFiles.outOfSpace(e)) {
                throw new BackupSpaceException("backup of '" + databaseName + "' to " + file + " failed: "
                        + e.getMessage() + ". The partial file was removed; the database is untouched. Free space "
                        + "in " + folder + " or choose another folder.", e);
            }
            throw e;
        } finally {
            if (!done) {
                Files.deleteIfExists(file);
                BackupFiles.deleteTree(BackupFiles.attachmentsOf(file));
            }
        }
        try {
            BackupFiles.writeManifest(file, manifest);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            BackupFiles.deleteTree(BackupFiles.attachmentsOf(file));
            if (BackupFiles.outOfSpace(e)) {
                throw new BackupSpaceException("backup of '" + databaseName + "' to " + file + " failed writing "
                        + "its manifest: " + e.getMessage() + "; the backup was removed", e);
            }
            throw e;
        }
        return manifest;
    }

    private static BackupManifest.FileEntry copyAttachment(Attachment a, Path to, BackupFiles.Target target)
            throws IOException {
        Files.createDirectories(to.getParent());
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        CRC32C crc = new CRC32C();
        long bytes = 0;
        try (FileChannel in = FileChannel.open(a.source(), StandardOpenOption.READ);
             WritableByteChannel out = target.create(to)) {
            while (in.read(buf.clear()) >= 0) {
                buf.flip();
                crc.update(buf.duplicate());
                bytes += buf.remaining();
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new java.io.InterruptedIOException("backup interrupted while copying " + a.source());
                }
            }
            if (out instanceof FileChannel fc) {
                fc.force(true);
            }
        }
        return new BackupManifest.FileEntry(a.path(), bytes, BackupManifest.hex(crc.getValue()));
    }
}
