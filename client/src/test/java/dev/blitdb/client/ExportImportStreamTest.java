package dev.blitdb.client;

import dev.blitdb.client.exceptions.BadRequestException;
import dev.blitdb.client.exceptions.DatabaseDoesNotExistException;
import dev.blitdb.client.operations.FieldType;
import dev.blitdb.client.operations.ImportResult;
import dev.blitdb.client.operations.IndexDefinition;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code maintenance().exportDump()} and {@code importDump(InputStream)} against a real server (child JVM): the
 * export streams into the import of another database without being held whole; same documents, ids and index
 * definitions; a bad dump throws with the line; an unknown database throws its typed exception.
 */
class ExportImportStreamTest extends ServerTestBase {

    @Test
    void shouldStreamAnExportIntoAnImportOfAnotherDatabase() throws Exception {
        try (var source = server.newStore(); var target = server.newStore()) {
            source.maintenance().putIndexes(IndexDefinition.builder("Users/ByCity").collection("Users")
                    .field("City", "City", FieldType.KEYWORD).build());
            try (var s = source.openSession()) {
                for (int i = 0; i < 300; i++) {
                    s.store(new User("U" + i, 20 + i % 50, i % 2 == 0 ? "Oslo" : "Rome"));
                }
                s.saveChanges();
            }
            ImportResult imported;
            try (InputStream dump = source.maintenance().exportDump()) {
                imported = target.maintenance().importDump(dump); // piped straight through, never buffered whole
            }
            assertEquals(300, imported.documents());
            assertEquals(1, imported.indexDefinitions());
            assertTrue(imported.hiLo() >= 1, imported.toString());
            assertEquals(List.of("Users/ByCity"), target.maintenance().getIndexes().stream()
                    .map(IndexDefinition::name).filter(n -> !n.startsWith("Auto/")).toList());
            try (var a = source.openSession(); var b = target.openSession()) {
                List<User> left = a.query(User.class).orderBy("name").waitForNonStaleResults(
                        java.time.Duration.ofSeconds(30)).toList();
                List<User> right = b.query(User.class).orderBy("name").waitForNonStaleResults(
                        java.time.Duration.ofSeconds(30)).toList();
                assertEquals(300, left.size());
                assertEquals(300, right.size());
                for (int i = 0; i < left.size(); i++) {
                    assertEquals(left.get(i).getId(), right.get(i).getId());
                    assertEquals(left.get(i).getName(), right.get(i).getName());
                    assertEquals(left.get(i).getCity(), right.get(i).getCity());
                }
            }
            // The new ids the target hands out do not collide with imported ones (hi-lo came along).
            try (var s = target.openSession()) {
                User fresh = new User("New", 1, "Oslo");
                s.store(fresh);
                s.saveChanges();
                assertEquals(301, s.query(User.class).waitForNonStaleResults(java.time.Duration.ofSeconds(30))
                        .toList().size());
            }
        }
    }

    @Test
    void shouldReadTheExportAsGzipNdjsonWithItsHeaderFirst() throws Exception {
        try (var store = server.newStore()) {
            try (var s = store.openSession()) {
                s.store(new User("A", 1, "Oslo"));
                s.saveChanges();
            }
            String text;
            try (InputStream dump = store.maintenance().exportDump(); var gz = new GZIPInputStream(dump)) {
                text = new String(gz.readAllBytes(), StandardCharsets.UTF_8);
            }
            String[] lines = text.split("\n");
            assertTrue(lines[0].startsWith("{\"Header\":{\"Format\":\"BlitDB export\""), lines[0]);
            assertTrue(lines[lines.length - 1].startsWith("{\"End\":"), lines[lines.length - 1]);
        }
    }

    @Test
    void shouldThrowWithTheLineOfABadDumpAndForAMissingDatabase() throws Exception {
        try (var store = server.newStore()) {
            var bytes = new ByteArrayOutputStream();
            try (var gz = new GZIPOutputStream(bytes)) {
                gz.write(("{\"Header\":{\"Format\":\"BlitDB export\",\"FormatVersion\":1}}\n"
                        + "{\"Document\":{\"Name\":\"x\",\"@metadata\":{\"@id\":\"users/1\",\"@collection\":\"Users\"}}}\n"
                        + "{\"Nonsense\":1}\n").getBytes(StandardCharsets.UTF_8));
            }
            var e = assertThrows(BadRequestException.class, () -> store.maintenance().importDump(
                    new ByteArrayInputStream(bytes.toByteArray())));
            assertTrue(e.serverMessage().contains("line 3") || e.getMessage().contains("\"Line\":3")
                    || e.serverMessage().contains("3"), e.getMessage());
            try (var missing = new DocumentStore(server.url(), "no-such-db-" + System.nanoTime())) {
                assertThrows(DatabaseDoesNotExistException.class, () -> missing.maintenance().exportDump());
            }
        }
    }
}
