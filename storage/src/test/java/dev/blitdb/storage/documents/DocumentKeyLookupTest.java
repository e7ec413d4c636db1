package dev.blitdb.storage.documents;

import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an index reads: store keys from the collection walk, lookups by key, and a bounded tombstone check. */
class DocumentKeyLookupTest {

    @TempDir
    Path dir;

    private final BlitWriter blit = new BlitWriter();

    private byte[] doc(String collection) {
        byte[] json = ("{\"A\":1,\"@metadata\":{\"@collection\":\"" + collection + "\"}}").getBytes(StandardCharsets.UTF_8);
        return blit.convert(json, 0, json.length).toByteArray();
    }

    @Test
    void shouldWalkByKeyLookUpByKeyAndFindTombstonesOnlyInTheirRange() throws Exception {
        try (DocumentStore db = DocumentStore.open(dir, StoreOptions.defaults().withMinGrowth(1 << 20),
                MergerOptions.defaults())) {
            db.put("Users/Ärger", doc("Users"), null).join();   // etag 1
            db.put("orders/1", doc("Orders"), null).join();     // etag 2
            db.delete("orders/1", null).join();                 // etag 3: tombstone of Orders
            db.put("users/2", doc("Users"), null).join();       // etag 4
            db.delete("users/2", null).join();                  // etag 5: tombstone of Users
            try (DocumentReader r = db.beginRead()) {
                DocumentIterator it = r.collection("users", 0);
                StoredDocument d = new StoredDocument();
                assertTrue(it.next(d));
                byte[] key = it.key().toArray(ValueLayout.JAVA_BYTE);
                assertArrayEquals("users/ärger".getBytes(StandardCharsets.UTF_8), key, "the id lowercased, UTF-8");
                StoredDocument byKey = new StoredDocument();
                assertTrue(r.getByKey(MemorySegment.ofArray(key), byKey));
                assertEquals("Users/Ärger", byKey.id());
                assertFalse(r.getByKey(MemorySegment.ofArray("users/2".getBytes(StandardCharsets.UTF_8)), byKey));

                assertTrue(r.hasTombstone("USERS", 1, 5));
                assertTrue(r.hasTombstone("Users", 5, 5));
                assertFalse(r.hasTombstone("Users", 1, 4), "the Orders tombstone at 3 is not one of Users");
                assertFalse(r.hasTombstone("Users", 6, 100));
                assertTrue(r.hasTombstone("orders", 3, 3));
                assertFalse(r.hasTombstone("orders", 4, 5));
                assertFalse(r.hasTombstone("Users", 5, 4), "an empty range");
            }
        }
    }
}
