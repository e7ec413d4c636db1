package dev.blitdb.storage.documents;

import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.storage.engine.SpaceAllocator;
import dev.blitdb.storage.engine.StoreFullException;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A full disk fails the document that needs the space (the server answers 507); the others commit. */
class DocumentDiskFullTest {

    @TempDir
    Path dir;

    private static byte[] doc(int letters) {
        Random rnd = new Random(letters);
        StringBuilder s = new StringBuilder("{\"Text\":\"");
        for (int i = 0; i < letters; i++) {
            s.append((char) ('a' + rnd.nextInt(26)));
        }
        byte[] json = s.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
        return new BlitWriter().convert(json, 0, json.length).toByteArray();
    }

    @Test
    void shouldFailOnlyTheDocumentThatNeedsSpaceAndRecoverWhenSpaceReturns() throws Exception {
        AtomicBoolean full = new AtomicBoolean();
        SpaceAllocator standard = SpaceAllocator.standard();
        StoreOptions options = StoreOptions.defaults().withMinGrowth(1 << 20).withAllocator((file, ch, off, len) -> {
            if (full.get()) {
                throw new IOException("injected: posix_fallocate failed with errno 28 (ENOSPC)");
            }
            standard.allocate(file, ch, off, len);
        });
        try (DocumentStore db = DocumentStore.open(dir, options, MergerOptions.defaults())) {
            db.put("before", doc(100), null).get();
            full.set(true);
            CompletableFuture<PutResult> big = db.put("big", doc(3 << 20), null);
            CompletableFuture<PutResult> small = db.put("small", doc(100), null);
            ExecutionException e = assertThrows(ExecutionException.class, big::get);
            StoreFullException cause = assertInstanceOf(StoreFullException.class, e.getCause());
            assertTrue(cause.getMessage().contains("ENOSPC"), cause.getMessage());
            assertEquals("small", small.get().id());
            full.set(false);
            assertEquals("big", db.put("big", doc(3 << 20), null).get().id());
            try (DocumentReader r = db.beginRead()) {
                assertEquals(3, r.documentCount());
                assertEquals(3, r.lastEtag());
            }
            db.engine().verify();
        }
    }
}
