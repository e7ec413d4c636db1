package dev.blitdb.storage.backup;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.StoredChanges;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * Applies one incremental backup file to a store being restored (nothing else writes to it): frame by frame,
 * each frame checked before use and committed as one transaction, documents and tombstones written at their
 * original etags ({@link StoredChanges}), the state trees replaced at the trailer. Every refusal names the file and
 * the check.
 */
final class IncrementalRestore {

    private static final JsonFactory JSON = new JsonFactory();

    /** Bytes of the file read so far. */
    @FunctionalInterface
    interface Progress {
        void bytes(long done) throws IOException;
    }

    private IncrementalRestore() {
    }

    static void apply(DocumentStore store, Path file, BackupManifest m, Progress progress) throws IOException {
        String name = file.toString();
        long storeEtag;
        try (DocumentReader r = store.beginRead()) {
            storeEtag = r.lastEtag();
        }
        if (storeEtag != m.fromEtag()) {
            throw new BackupInvalidException(name, "chain", "it continues from etag " + m.fromEtag()
                    + " but the restored database is at etag " + storeEtag + ": a link of the chain is missing");
        }
        var in = new IncrementalFile.Reader(new BufferedInputStream(Files.newInputStream(file), 1 << 16), name);
        try (in) {
            IncrementalFile.Frame header = in.next();
            if (header == null || header.kind() != IncrementalFile.HEADER) {
                throw new BackupInvalidException(name, "format", "the first frame is not the header");
            }
            Map<String, Object> h = parse(header.raw(), name);
            if (!m.databaseId().equals(h.get("DatabaseId")) || !store.databaseId().equals(h.get("DatabaseId"))) {
                throw new BackupInvalidException(name, "content", "it holds changes of database id "
                        + h.get("DatabaseId") + "; the manifest says " + m.databaseId() + ", the database being "
                        + "restored is " + store.databaseId());
            }
            if (!Long.valueOf(m.fromEtag()).equals(h.get("FromEtag"))) {
                throw new BackupInvalidException(name, "content", "its header starts after etag " + h.get("FromEtag")
                        + ", the manifest says " + m.fromEtag());
            }
            long[] state = {m.fromEtag(), 0, 0}; // last etag applied, documents, tombstones
            Map<String, List<byte[][]>> trees = new LinkedHashMap<>();
            String[] currentTree = {null};
            for (; ; ) {
                IncrementalFile.Frame f = in.next();
                if (f == null) {
                    throw new BackupInvalidException(name, "completeness", "it ends without its trailer "
                            + "(truncated file)");
                }
                if (f.kind() == IncrementalFile.TRAILER) {
                    finish(store, name, m, parse(f.raw(), name), state, trees);
                    if (in.next() != null) {
                        throw new BackupInvalidException(name, "format", "bytes follow the trailer");
                    }
                    progress.bytes(m.bytes());
                    return;
                }
                if (f.kind() != IncrementalFile.RECORDS) {
                    throw new BackupInvalidException(name, "format", "unknown frame kind '" + (char) f.kind()
                            + "' at byte " + f.offset());
                }
                List<Object> ops = records(f, name, m, state, trees, currentTree);
                if (!ops.isEmpty()) {
                    submit(store, txn -> {
                        for (Object op : ops) {
                            if (op instanceof MemorySegment rec) {
                                StoredChanges.applyDocument(txn, rec);
                            } else {
                                Object[] t = (Object[]) op;
                                StoredChanges.applyTombstone(txn, (Long) t[0], (MemorySegment) t[1]);
                            }
                        }
                        return null;
                    });
                }
                progress.bytes(f.offset());
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("restore interrupted in " + name);
                }
            }
        }
    }

    /** Decodes one records frame: document and tombstone operations (in order); state tree entries are kept. */
    private static List<Object> records(IncrementalFile.Frame f, String name, BackupManifest m, long[] state,
                                        Map<String, List<byte[][]>> trees, String[] currentTree) {
        ByteBuffer b = f.raw();
        List<Object> ops = new ArrayList<>();
        try {
            while (b.hasRemaining()) {
                byte type = b.get();
                switch (type) {
                    case IncrementalFile.DOCUMENT -> {
                        byte[] rec = new byte[b.getInt()];
                        b.get(rec);
                        MemorySegment seg = MemorySegment.ofArray(rec);
                        ordered(StoredChanges.recordEtag(seg), name, m, state, f);
                        state[1]++;
                        ops.add(seg);
                    }
                    case IncrementalFile.TOMBSTONE -> {
                        long etag = b.getLong();
                        byte[] v = new byte[b.getInt()];
                        b.get(v);
                        ordered(etag, name, m, state, f);
                        state[2]++;
                        ops.add(new Object[]{etag, MemorySegment.ofArray(v)});
                    }
                    case IncrementalFile.STATE_TREE -> {
                        byte[] n = new byte[Short.toUnsignedInt(b.getShort())];
                        b.get(n);
                        b.getInt(); // entry count, for readers that stream the tree
                        currentTree[0] = new String(n, StandardCharsets.UTF_8);
                        if (!StoredChanges.isStateTree(currentTree[0])) {
                            throw new BackupInvalidException(name, "format", "it replaces tree '" + currentTree[0]
                                    + "', which is rebuilt from documents");
                        }
                        trees.put(currentTree[0], new ArrayList<>());
                    }
                    case IncrementalFile.TREE_ENTRY -> {
                        if (currentTree[0] == null) {
                            throw new BackupInvalidException(name, "format", "a tree entry before any tree, in the "
                                    + "frame at byte " + f.offset());
                        }
                        byte[] k = new byte[Short.toUnsignedInt(b.getShort())];
                        b.get(k);
                        byte[] v = new byte[b.getInt()];
                        b.get(v);
                        trees.get(currentTree[0]).add(new byte[][]{k, v});
                    }
                    default -> throw new BackupInvalidException(name, "format", "unknown record type "
                            + (type & 0xff) + " in the frame at byte " + f.offset());
                }
            }
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            throw new BackupInvalidException(name, "format", "a record runs past the end of the frame at byte "
                    + f.offset());
        }
        return ops;
    }

    private static void ordered(long etag, String name, BackupManifest m, long[] state, IncrementalFile.Frame f) {
        if (etag <= state[0] || etag > m.lastEtag()) {
            throw new BackupInvalidException(name, "content", "a change with etag " + etag + " (frame at byte "
                    + f.offset() + ") is out of order or outside " + (m.fromEtag() + 1) + ".." + m.lastEtag());
        }
        state[0] = etag;
    }

    private static void finish(DocumentStore store, String name, BackupManifest m, Map<String, Object> trailer,
                               long[] state, Map<String, List<byte[][]>> trees) {
        if (!Long.valueOf(m.lastEtag()).equals(trailer.get("LastEtag")) || state[1] != m.documents()
                || state[2] != m.tombstones() || !Long.valueOf(state[1]).equals(trailer.get("Documents"))
                || !Long.valueOf(state[2]).equals(trailer.get("Tombstones"))) {
            throw new BackupInvalidException(name, "content", "it holds " + state[1] + " documents and " + state[2]
                    + " tombstones up to etag " + trailer.get("LastEtag") + "; the manifest says " + m.documents()
                    + " and " + m.tombstones() + " up to etag " + m.lastEtag());
        }
        if (!trees.containsKey("db")) {
            throw new BackupInvalidException(name, "content", "it holds no database state tree");
        }
        submit(store, txn -> {
            for (String tree : txn.treeNames()) {
                if (StoredChanges.isStateTree(tree) && !trees.containsKey(tree)) {
                    StoredChanges.replaceStateTree(txn, tree, null);
                }
            }
            trees.forEach((tree, entries) -> StoredChanges.replaceStateTree(txn, tree, entries));
            return null;
        });
        try (DocumentReader r = store.beginRead()) {
            if (r.lastEtag() != m.lastEtag() || !Long.valueOf(r.documentCount()).equals(
                    trailer.get("DatabaseDocuments"))) {
                throw new BackupInvalidException(name, "content", "after it the database holds " + r.documentCount()
                        + " documents up to etag " + r.lastEtag() + "; the trailer says "
                        + trailer.get("DatabaseDocuments") + " up to etag " + m.lastEtag());
            }
        }
    }

    private static void submit(DocumentStore store, dev.blitdb.storage.merger.WriteOperation<Object> op) {
        try {
            store.merger().submit(op).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    private static Map<String, Object> parse(ByteBuffer raw, String name) {
        Map<String, Object> out = new HashMap<>();
        try (JsonParser p = JSON.createParser(raw.array(), raw.arrayOffset() + raw.position(), raw.remaining())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BackupInvalidException(name, "format", "a header or trailer frame is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                JsonToken t = p.nextToken();
                out.put(k, t.isNumeric() ? (Object) p.getLongValue() : p.getText());
            }
        } catch (IOException e) {
            throw new BackupInvalidException(name, "format", "a header or trailer frame is not valid JSON: "
                    + e.getMessage());
        }
        return out;
    }
}
