package dev.blitdb.storage.documents;

import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.storage.engine.StoreClosedException;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One reader kept by a thread and opened on one database after another: each opening is a fresh snapshot. */
class ReusableDocumentReaderTest {

    @TempDir
    Path dir;

    private final BlitWriter blit = new BlitWriter();

    private byte[] doc(String name) {
        byte[] json = ("{\"Name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
        return blit.convert(json, 0, json.length).toByteArray();
    }

    @Test
    void shouldReadEachDatabaseAsItIsNowThroughOneReader() throws Exception {
        // No background checkpoints: a checkpoint pins a snapshot of its own, and this test counts pins.
        StoreOptions options = StoreOptions.defaults().withMinGrowth(1 << 20)
                .withCheckpoints(Long.MAX_VALUE, java.time.Duration.ZERO);
        try (DocumentStore a = DocumentStore.open(dir.resolve("a"), options, MergerOptions.defaults(), "DB-A");
             DocumentStore b = DocumentStore.open(dir.resolve("b"), options, MergerOptions.defaults(), "DB-B")) {
            DocumentReader reader = DocumentReader.reusable();
            StoredDocument d = new StoredDocument();
            for (int i = 0; i < 5; i++) {
                a.put("users/1", doc("a" + i), null).join();
                try (DocumentReader r = a.beginRead(reader)) {
                    assertSame(reader, r);
                    assertTrue(r.get("users/1", d));
                    assertEquals("DB-A", d.databaseId());
                    assertTrue(d.changeVector().contains("DB-A"), d.changeVector());
                    assertEquals(2 * i + 1, r.lastEtag()); // a put and a delete per round before this one
                    b.put("users/1", doc("b" + i), null).join(); // b's write shows at b's next opening
                }
                try (DocumentReader r = b.beginRead(reader)) {
                    assertTrue(r.get("users/1", d));
                    assertEquals("DB-B", d.databaseId());
                    assertEquals(i + 1, r.lastEtag());
                    a.delete("users/1", null).join();
                }
                try (DocumentReader r = a.beginRead(reader)) {
                    assertFalse(r.get("users/1", d), "deleted since the previous opening");
                }
                assertEquals(0, a.engine().stats().openReaders());
                assertEquals(0, b.engine().stats().openReaders());
            }
            try (DocumentReader r = a.beginRead(reader)) {
                assertThrows(IllegalStateException.class, () -> b.beginRead(r));
            }
            assertThrows(StoreClosedException.class, () -> reader.get("users/1", d));
        }
    }
}
