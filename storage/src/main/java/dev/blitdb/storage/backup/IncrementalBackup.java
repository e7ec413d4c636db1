package dev.blitdb.storage.backup;

import dev.blitdb.blittable.BlitFormat;
import dev.blitdb.storage.documents.DocumentIterator;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.StoredChanges;
import dev.blitdb.storage.documents.StoredDocument;
import dev.blitdb.storage.engine.Cursor;
import dev.blitdb.storage.engine.ReadTxn;
import dev.blitdb.storage.engine.SnapshotCopy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes an incremental backup: the documents and tombstones with etags after the newest complete backup in the
 * folder (full or incremental, of the same database), in etag order, plus the small state trees whole, from one
 * read snapshot, to {@code <stamp>.incremental.blitz} ({@link IncrementalFile}), synced, then its manifest. Any
 * failure removes the partial file.
 */
public final class IncrementalBackup {

    private IncrementalBackup() {
    }

    /**
     * The backup an incremental of {@code store} in {@code folder} would follow: the newest complete one (null when
     * the folder holds no complete backup).
     *
     * @throws BackupInvalidException when that backup belongs to another database
     */
    public static BackupManifest base(DocumentStore store, Path folder) throws IOException {
        BackupManifest newest = BackupChain.newestComplete(folder);
        if (newest != null && !newest.databaseId().equals(store.databaseId())) {
            throw new BackupInvalidException(folder.resolve(newest.file()).toString(), "chain", "the newest backup "
                    + "in the folder is of database id " + newest.databaseId() + ", this database's id is "
                    + store.databaseId() + "; give each database its own backup folder");
        }
        return newest;
    }

    /**
     * Why an incremental of {@code store} after {@code base} would be incomplete, or null when it would not: the
     * store purged tombstones with etags after the base's last etag, so deletions made since the base are no
     * longer recorded and a chain ending in that incremental would bring the deleted documents back.
     */
    public static String gap(DocumentStore store, BackupManifest base) {
        try (DocumentReader reader = store.beginRead()) {
            return gap(reader, base);
        }
    }

    private static String gap(DocumentReader reader, BackupManifest base) {
        long purged = reader.purgedTombstonesTo();
        if (purged <= base.lastEtag()) {
            return null;
        }
        return "tombstones up to etag " + purged + " were purged from the database after this backup was taken "
                + "(it ends at etag " + base.lastEtag() + "), so deletions made since then are no longer recorded "
                + "and an incremental would miss them; take a full backup";
    }

    /**
     * Writes an incremental of {@code store} after {@code base} (from {@link #base}) into {@code folder}.
     *
     * @param listener etags covered so far of the etags to cover
     * @throws BackupInvalidException (check {@code chain}) when {@link #gap} finds deletions the store no
     *                                longer records; nothing is written
     */
    public static BackupManifest write(DocumentStore store, BackupManifest base, Path folder, String databaseName,
                                       SnapshotCopy.Listener listener, BackupFiles.Target target) throws IOException {
        try (DocumentReader reader = store.beginRead()) {
            long from = base.lastEtag();
            if (reader.lastEtag() < from) {
                throw new BackupInvalidException(folder.resolve(base.file()).toString(), "chain", "it ends at etag "
                        + from + " but the database is only at etag " + reader.lastEtag() + " (a different history: "
                        + "was it restored from an older backup?); take a full backup");
            }
            String gap = gap(reader, base);
            if (gap != null) {
                throw new BackupInvalidException(folder.resolve(base.file()).toString(), "chain", gap);
            }
            Path file = BackupFiles.newFile(folder, BackupFiles.INCREMENTAL_SUFFIX);
            boolean done = false;
            BackupManifest manifest;
            try (WritableByteChannel out = target.create(file)) {
                var checksums = new ChecksummingChannel(out);
                var w = new IncrementalFile.Writer(checksums);
                long[] counts;
                try {
                    w.json(IncrementalFile.HEADER, json(Map.of(
                            "Format", "BlitDB incremental backup", "FormatVersion", IncrementalFile.VERSION,
                            "DatabaseId", store.databaseId(), "DatabaseName", databaseName, "FromEtag", from,
                            "CreatedAt", Instant.now().toString())));
                    counts = changes(reader, from, w, listener);
                    int trees = stateTrees(reader.txn(), w);
                    Map<String, Object> trailer = new LinkedHashMap<>();
                    trailer.put("LastEtag", reader.lastEtag());
                    trailer.put("TransactionId", reader.txn().id());
                    trailer.put("Documents", counts[0]);
                    trailer.put("Tombstones", counts[1]);
                    trailer.put("StateTrees", trees);
                    trailer.put("DatabaseDocuments", reader.documentCount());
                    w.json(IncrementalFile.TRAILER, json(trailer));
                } finally {
                    w.close();
                }
                if (out instanceof FileChannel fc) {
                    fc.force(true);
                }
                manifest = new BackupManifest(BackupManifest.FORMAT_VERSION, BackupManifest.INCREMENTAL,
                        file.getFileName().toString(), checksums.bytes(), checksums.finish(), store.databaseId(),
                        databaseName, from, reader.lastEtag(), reader.txn().id(), 0, counts[0], counts[1],
                        Instant.now().toString(), BackupManifest.buildVersion(), SnapshotCopy.STORE_FORMAT_VERSION,
                        BlitFormat.VERSION);
                done = true;
            } catch (IOException e) {
                if (BackupFiles.outOfSpace(e)) {
                    throw new BackupSpaceException("incremental backup of '" + databaseName + "' to " + file
                            + " failed: " + e.getMessage() + ". The partial file was removed; the database is "
                            + "untouched.", e);
                }
                throw e;
            } finally {
                if (!done) {
                    Files.deleteIfExists(file);
                }
            }
            try {
                BackupFiles.writeManifest(file, manifest);
            } catch (IOException e) {
                Files.deleteIfExists(file);
                throw e;
            }
            return manifest;
        }
    }

    /** Documents and tombstones after {@code from}, merged in etag order; returns {documents, tombstones}. */
    private static long[] changes(DocumentReader reader, long from, IncrementalFile.Writer w,
                                  SnapshotCopy.Listener listener) throws IOException {
        long last = reader.lastEtag();
        DocumentIterator docs = reader.byEtag(from + 1);
        StoredDocument d = new StoredDocument();
        boolean haveDoc = docs.next(d);
        Cursor t = StoredChanges.tombstones(reader.txn());
        t.seek(StoredChanges.etagKey(from + 1));
        long nDocs = 0;
        long nTombs = 0;
        long step = 0;
        while (haveDoc || t.valid()) {
            long docEtag = haveDoc ? d.etag() : Long.MAX_VALUE;
            long tombEtag = t.valid() ? StoredChanges.tombstoneEtag(t) : Long.MAX_VALUE;
            long etag;
            if (docEtag < tombEtag) {
                MemorySegment rec = d.record();
                ByteBuffer b = w.records(5 + (int) rec.byteSize());
                b.put(IncrementalFile.DOCUMENT).putInt((int) rec.byteSize()).put(rec.asByteBuffer());
                etag = docEtag;
                nDocs++;
                haveDoc = docs.next(d);
            } else {
                MemorySegment v = t.value();
                ByteBuffer b = w.records(13 + (int) v.byteSize());
                b.put(IncrementalFile.TOMBSTONE).putLong(tombEtag).putInt((int) v.byteSize()).put(v.asByteBuffer());
                etag = tombEtag;
                nTombs++;
                t.next();
            }
            if ((++step & 1023) == 0) {
                listener.progress(etag - from, last - from);
            }
        }
        listener.progress(last - from, last - from);
        return new long[]{nDocs, nTombs};
    }

    /** Every state tree, whole: name and entry count, then its entries. */
    private static int stateTrees(ReadTxn txn, IncrementalFile.Writer w) throws IOException {
        int trees = 0;
        for (String tree : txn.treeNames()) {
            if (!StoredChanges.isStateTree(tree)) {
                continue;
            }
            byte[] name = tree.getBytes(StandardCharsets.UTF_8);
            long count = txn.count(tree);
            w.records(7 + name.length).put(IncrementalFile.STATE_TREE).putShort((short) name.length).put(name)
                    .putInt((int) count);
            Cursor c = txn.cursor(tree);
            for (c.first(); c.valid(); c.next()) {
                MemorySegment k = c.key();
                MemorySegment v = c.value();
                w.records(7 + (int) k.byteSize() + (int) v.byteSize()).put(IncrementalFile.TREE_ENTRY)
                        .putShort((short) k.byteSize()).put(k.asByteBuffer()).putInt((int) v.byteSize())
                        .put(v.asByteBuffer());
            }
            trees++;
        }
        return trees;
    }

    static byte[] json(Map<String, Object> fields) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        try (var g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            for (var e : new java.util.TreeMap<>(fields).entrySet()) {
                if (e.getValue() instanceof Number n) {
                    g.writeNumberField(e.getKey(), n.longValue());
                } else {
                    g.writeStringField(e.getKey(), String.valueOf(e.getValue()));
                }
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
