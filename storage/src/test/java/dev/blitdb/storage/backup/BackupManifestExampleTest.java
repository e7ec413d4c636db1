package dev.blitdb.storage.backup;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manifest example in storage/BACKUP.md parses to the documented values, and writing it gives it back. */
class BackupManifestExampleTest {

    private static String documentedExample() throws Exception {
        String doc = Files.readString(Path.of("BACKUP.md"), StandardCharsets.UTF_8);
        int start = doc.indexOf("```json\n");
        assertTrue(start >= 0, "BACKUP.md has a ```json example");
        int end = doc.indexOf("```", start + 8);
        return doc.substring(start + 8, end);
    }

    @Test
    void shouldParseTheDocumentedExample() throws Exception {
        String json = documentedExample();
        BackupManifest m = BackupManifest.parse(json.getBytes(StandardCharsets.UTF_8), "BACKUP.md");
        assertEquals(BackupManifest.FULL, m.type());
        assertEquals("20261202-041500-123.full.blit", m.file());
        assertEquals(1212416, m.bytes());
        assertEquals(296 * 4096, m.bytes());
        assertEquals(List.of("5d1c8a3f"), m.chunkCrc32c());
        assertEquals("q2V7Lc0YtUyq1mB4b3x9Aw", m.databaseId());
        assertEquals(10452, m.lastEtag());
        assertEquals(9312, m.transactionId());
        assertEquals(9800, m.documents());
        assertEquals(1, m.storeFormatVersion());
        assertArrayEquals(json.getBytes(StandardCharsets.UTF_8), m.toJson(), "the writer produces the documented form");
    }

    @Test
    void shouldRefuseAnotherFormatVersionNamingTheField() throws Exception {
        String json = documentedExample().replace("\"FormatVersion\" : 1", "\"FormatVersion\" : 2");
        var e = assertThrows(BackupInvalidException.class, () -> BackupManifest.parse(
                json.getBytes(StandardCharsets.UTF_8), "m.json"));
        assertEquals("manifest", e.check());
        assertTrue(e.getMessage().contains("FormatVersion 2"), e.getMessage());
    }
}
