package dev.blitdb.server.security.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blitdb.server.security.auth.ApiKeys;
import dev.blitdb.server.security.auth.Clearance;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.StoredDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The system database's records are in named collections (API keys, audit entries), and reading them back gives
 * the record as written, without the {@code @metadata} the store stamped.
 */
class SystemCollectionsTest {

    @TempDir
    Path dir;

    @Test
    void recordsAreStoredInNamedCollectionsAndReadBackWithoutMetadata() throws Exception {
        ApiKeys.NewKey key;
        try (SecurityStore store = SecurityStore.open(dir)) {
            key = store.createApiKey("ops", Clearance.OPERATOR, Map.of());
            store.audit().append("tester", "127.0.0.1", "PUT /admin/databases?name=a", "201").join();
            store.audit().append("tester", "127.0.0.1", "DELETE /admin/databases?name=a", "200").join();
            List<JsonNode> entries = store.audit().page(0, 10);
            assertEquals(2, entries.size());
            assertEquals("PUT /admin/databases?name=a", entries.getFirst().get("Action").asText());
            assertFalse(entries.getFirst().has("@metadata"));
            assertEquals(1, store.snapshot().apiKeys().size());
        }
        try (DocumentStore system = DocumentStore.open(dir.resolve(SecurityStore.FOLDER));
             DocumentReader reader = system.beginRead()) {
            assertEquals(Map.of(AuditLog.COLLECTION, 2L, SecurityStore.KEYS_COLLECTION, 1L), reader.collections());
            StoredDocument stored = new StoredDocument();
            assertTrue(reader.get(SecurityStore.KEYS + key.id(), stored));
            assertEquals(SecurityStore.KEYS_COLLECTION, stored.collection());
        }
    }
}
