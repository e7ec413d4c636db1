package dev.blitdb.storage.documents;

import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitDocuments;
import dev.blitdb.blittable.BlitKey;
import dev.blitdb.blittable.BlitObject;
import dev.blitdb.blittable.BlitString;
import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writers put and delete documents through the merger while readers walk collections: in every snapshot the
 * per-collection counts match what the walk finds, etags rise, and each stored document's stamped {@code @metadata}
 * agrees with its record (id, collection, change vector).
 */
class DocumentConcurrencyTest {

    private static final BlitKey N = BlitKey.of("N");

    @TempDir
    Path dir;

    @Test
    void shouldShowReadersConsistentCollectionsWhileWritersWork() throws Exception {
        try (DocumentStore db = DocumentStore.open(dir, StoreOptions.defaults().withMinGrowth(1 << 20),
                MergerOptions.defaults())) {
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicLong writes = new AtomicLong();
            AtomicLong checks = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                threads.add(Thread.ofPlatform().start(() -> {
                    BlitWriter blit = new BlitWriter();
                    Random rnd = new Random(writer);
                    try {
                        while (!stop.get()) {
                            String col = rnd.nextBoolean() ? "Users" : "Orders";
                            String id = col.toLowerCase() + "/" + rnd.nextInt(300);
                            if (rnd.nextInt(4) == 0) {
                                db.delete(id, null).get();
                            } else {
                                byte[] json = ("{\"@metadata\":{\"@collection\":\"" + col + "\"},\"N\":"
                                        + rnd.nextInt(1000) + "}").getBytes(StandardCharsets.UTF_8);
                                db.put(id, blit.convert(json, 0, json.length).toByteArray(), null).get();
                            }
                            writes.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            for (int r = 0; r < 2; r++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    StoredDocument d = new StoredDocument();
                    BlitDocument doc = new BlitDocument();
                    BlitObject root = new BlitObject();
                    BlitString s = new BlitString();
                    try {
                        while (!stop.get()) {
                            try (DocumentReader reader = db.beginRead()) {
                                for (String col : List.of("Users", "Orders")) {
                                    DocumentIterator it = reader.collection(col, 0);
                                    long n = 0;
                                    long lastEtag = 0;
                                    while (it.next(d)) {
                                        n++;
                                        assertTrue(d.etag() > lastEtag);
                                        lastEtag = d.etag();
                                        assertTrue(lastEtag <= reader.lastEtag());
                                        assertEquals(col, d.collection());
                                        d.document(doc);
                                        assertTrue(BlitDocuments.metadataString(doc, BlitDocuments.ID_KEY, s));
                                        assertEquals(d.id(), s.toString());
                                        assertTrue(BlitDocuments.metadataString(doc, BlitDocuments.CHANGE_VECTOR_KEY, s));
                                        assertEquals(d.changeVector(), s.toString());
                                        assertTrue(doc.rootObject(root).getLong(N, -1) >= 0);
                                    }
                                    assertEquals(reader.collectionCount(col), n, "count of " + col);
                                }
                                checks.incrementAndGet();
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            // At least 2 s and 200 writes (a busy shared disk can make a durable commit take 30 ms), at most 30 s.
            long start = System.nanoTime();
            while (System.nanoTime() - start < 30_000_000_000L && errors.isEmpty()
                    && (System.nanoTime() - start < 2_000_000_000L || writes.get() < 200)) {
                Thread.sleep(50);
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            if (!errors.isEmpty()) {
                throw new AssertionError(errors.peek());
            }
            assertTrue(writes.get() >= 50, "writes: " + writes.get());
            assertTrue(checks.get() > 5, "checks: " + checks.get());
            DatabaseStats stats = db.stats();
            assertEquals(stats.documents(), stats.collections().values().stream().mapToLong(Long::longValue).sum());
            db.engine().verify();
        }
    }
}
