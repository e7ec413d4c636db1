package dev.blitdb.storage.documents;

import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An id checked once where it enters ({@link DocumentIds#validate}) is stored under the same key as a plain id. */
class ValidIdTest {

    @TempDir
    Path dir;

    @Test
    void shouldStoreUnderTheCheckedKeyWhenGivenAValidId() throws Exception {
        assertThrows(InvalidIdException.class, () -> DocumentIds.validate(""));
        assertThrows(InvalidIdException.class, () -> DocumentIds.validate("bad\u0001id"));
        DocumentIds.ValidId id = DocumentIds.validate("Users/ÄNN");
        assertEquals("Users/ÄNN", id.id());
        assertArrayEquals(DocumentIds.key("Users/ÄNN"), id.key());
        byte[] json = "{\"Name\":\"Ann\",\"Big\":\"".concat("x".repeat(3 << 20)).concat("\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] blit = new BlitWriter().convert(json, 0, json.length).toByteArray();
        try (DocumentStore db = DocumentStore.open(dir, StoreOptions.defaults().withMinGrowth(1 << 20),
                MergerOptions.defaults())) {
            PutResult put = db.put(id, MemorySegment.ofArray(blit), null).get();
            assertEquals("Users/ÄNN", put.id());
            // A second, small write after a large one: the store's stamping buffer was given back, and both read.
            db.put(DocumentIds.validate("small/1"), MemorySegment.ofArray(new BlitWriter()
                    .convert("{}".getBytes(StandardCharsets.UTF_8), 0, 2).toByteArray()), null).get();
            try (DocumentReader reader = db.beginRead()) {
                StoredDocument stored = new StoredDocument();
                assertTrue(reader.get("users/änn", stored));
                assertEquals(put.changeVector(), stored.changeVector());
                assertTrue(reader.get("SMALL/1", stored));
            }
        }
    }
}
