package dev.blitdb.storage.backup;

import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Rebuilds a data folder from a {@link BackupChain}: every incremental of the chain is first checked against its
 * manifest (size, chunk checksums), so a damaged link is refused before any work; the full backup's bytes are
 * checked chunk by chunk while they are copied to {@code data.blit}; the store is opened and verified; then each
 * incremental is applied in order ({@link IncrementalRestore}). Any failed check stops the restore with a
 * {@link BackupInvalidException} naming the file and the check; the caller discards the half-built folder.
 */
public final class BackupRestore {

    /** Bytes processed so far of the total; may throw to stop. */
    @FunctionalInterface
    public interface Listener {
        void progress(long bytesDone, long bytesTotal) throws IOException;
    }

    /**
     * What was restored.
     *
     * @param databaseId the restored database's id (unchanged from the source: change vectors stay valid)
     * @param lastEtag   the etag the restored state ends at
     * @param documents  documents in the restored database
     * @param files      backup files applied
     */
    public record Result(String databaseId, long lastEtag, long documents, int files) {
    }

    private BackupRestore() {
    }

    /** Restores {@code chain} into {@code dir} (which must hold no store yet). */
    public static Result restore(BackupChain chain, Path dir, Listener listener) throws IOException {
        Files.createDirectories(dir);
        Path data = dir.resolve("data.blit");
        if (Files.exists(data)) {
            throw new IOException(data + " exists; a restore writes only into an empty folder");
        }
        long total = chain.bytes();
        BackupManifest full = chain.entries().getFirst();
        for (BackupManifest m : chain.entries().subList(1, chain.entries().size())) {
            verify(chain.file(m), m);
        }
        copyVerified(chain.file(full), full, data, 0, total, listener);
        long attached = full.bytes();
        for (BackupManifest.FileEntry e : full.files()) {
            copyAttachment(BackupFiles.attachmentsOf(chain.file(full)).resolve(e.path()), e, dir.resolve(e.path()));
            attached += e.bytes();
            listener.progress(attached, total);
        }
        StoreOptions options = StoreOptions.defaults();
        try (DocumentStore store = DocumentStore.open(dir, options, MergerOptions.defaults())) {
            store.engine().verify();
            check(store, full, chain.file(full));
            long done = attached;
            for (BackupManifest m : chain.entries().subList(1, chain.entries().size())) {
                long before = done;
                IncrementalRestore.apply(store, chain.file(m), m, bytes -> listener.progress(before + bytes, total));
                done += m.bytes();
            }
            try (DocumentReader r = store.beginRead()) {
                BackupManifest last = chain.last();
                if (r.lastEtag() != last.lastEtag()) {
                    throw new BackupInvalidException(chain.file(last).toString(), "content", "the restored "
                            + "database ends at etag " + r.lastEtag() + ", the manifest says " + last.lastEtag());
                }
                return new Result(store.databaseId(), r.lastEtag(), r.documentCount(), chain.entries().size());
            }
        } catch (dev.blitdb.storage.engine.StoreCorruptedException e) {
            throw new BackupInvalidException(chain.file(full).toString(), "store verification", e.getMessage());
        }
    }

    private static void check(DocumentStore store, BackupManifest m, Path file) {
        if (!store.databaseId().equals(m.databaseId())) {
            throw new BackupInvalidException(file.toString(), "content", "it holds database id "
                    + store.databaseId() + ", the manifest says " + m.databaseId());
        }
        try (DocumentReader r = store.beginRead()) {
            if (r.lastEtag() != m.lastEtag() || r.documentCount() != m.documents()) {
                throw new BackupInvalidException(file.toString(), "content", "it holds " + r.documentCount()
                        + " documents up to etag " + r.lastEtag() + ", the manifest says " + m.documents()
                        + " up to etag " + m.lastEtag());
            }
        }
    }

    /** Copies one attached file (an index file) into the new database folder, checking its length and CRC32C. */
    private static void copyAttachment(Path from, BackupManifest.FileEntry e, Path to) throws IOException {
        if (!Files.exists(from)) {
            throw new BackupInvalidException(from.toString(), "existence", "the manifest lists it but it is missing");
        }
        long size = Files.size(from);
        if (size != e.bytes()) {
            throw new BackupInvalidException(from.toString(), "size", size + " bytes, the manifest says " + e.bytes());
        }
        Files.createDirectories(to.getParent());
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        CRC32C crc = new CRC32C();
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (in.read(buf.clear()) >= 0) {
                buf.flip();
                crc.update(buf.duplicate());
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
            }
            out.force(true);
        }
        String actual = BackupManifest.hex(crc.getValue());
        if (!actual.equals(e.crc32c())) {
            throw new BackupInvalidException(from.toString(), "checksum", "CRC32C " + actual + ", the manifest says "
                    + e.crc32c() + ": the file is damaged");
        }
    }

    /** Checks {@code file}'s size and every chunk's CRC32C against the manifest without copying it. */
    public static void verify(Path file, BackupManifest m) throws IOException {
        copyVerified(file, m, null, 0, m.bytes(), (d, t) -> { });
    }

    static void copyVerified(Path file, BackupManifest m, Path to, long doneBefore, long total, Listener listener)
            throws IOException {
        if (!Files.exists(file)) {
            throw new BackupInvalidException(file.toString(), "existence", "the file named by its manifest is "
                    + "missing");
        }
        long size = Files.size(file);
        if (size != m.bytes()) {
            throw new BackupInvalidException(file.toString(), "size", size + " bytes, the manifest says "
                    + m.bytes() + (size < m.bytes() ? " (truncated)" : ""));
        }
        long chunks = (size + BackupManifest.CHUNK_BYTES - 1) / BackupManifest.CHUNK_BYTES;
        if (chunks != m.chunkCrc32c().size()) {
            throw new BackupInvalidException(file.toString(), "manifest", "it lists " + m.chunkCrc32c().size()
                    + " chunk checksums for " + chunks + " chunks");
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(BackupManifest.CHUNK_BYTES);
        CRC32C crc = new CRC32C();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel out = to == null ? null : FileChannel.open(to, StandardOpenOption.CREATE_NEW,
                     StandardOpenOption.WRITE)) {
            for (int chunk = 0; chunk < chunks; chunk++) {
                buf.clear();
                long at = (long) chunk * BackupManifest.CHUNK_BYTES;
                int want = (int) Math.min(BackupManifest.CHUNK_BYTES, size - at);
                buf.limit(want);
                while (buf.hasRemaining()) {
                    if (in.read(buf, at + buf.position()) < 0) {
                        throw new BackupInvalidException(file.toString(), "size", "ended early at byte "
                                + (at + buf.position()));
                    }
                }
                buf.flip();
                crc.reset();
                crc.update(buf.duplicate());
                String actual = BackupManifest.hex(crc.getValue());
                String expected = m.chunkCrc32c().get(chunk);
                if (!actual.equals(expected)) {
                    throw new BackupInvalidException(file.toString(), "checksum", "chunk " + chunk + " (bytes " + at
                            + ".." + (at + want - 1) + ") has CRC32C " + actual + ", the manifest says " + expected
                            + ": the file is damaged");
                }
                if (out != null) {
                    while (buf.hasRemaining()) {
                        out.write(buf);
                    }
                }
                listener.progress(doneBefore + at + want, total);
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("restore interrupted at byte " + (at + want) + " of " + file);
                }
            }
            if (out != null) {
                out.force(true);
            }
        }
    }
}
