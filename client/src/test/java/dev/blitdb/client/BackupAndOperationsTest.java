package dev.blitdb.client;

import dev.blitdb.client.exceptions.BadRequestException;
import dev.blitdb.client.exceptions.OperationFailedException;
import dev.blitdb.client.operations.OperationStatus;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code maintenance().backup/restore/compact} and {@code operations().waitForCompletion} against a real server. */
class BackupAndOperationsTest extends ServerTestBase {

    @org.junit.jupiter.api.io.TempDir
    Path backups;

    @Test
    void shouldBackUpRestoreAndCompactThroughTheClientWithProgress() throws Exception {
        try (var store = server.newStore()) {
            try (var s = store.openSession()) {
                for (int i = 0; i < 50; i++) {
                    s.store(new User("U" + i, 20 + i, "Oslo"));
                }
                s.saveChanges();
            }
            var ops = store.maintenance();
            List<OperationStatus> seen = new ArrayList<>();
            OperationStatus done = ops.operations().waitForCompletion(ops.backup(backups.toString()),
                    Duration.ofSeconds(60), seen::add);
            assertEquals("Completed", done.state());
            assertEquals("Backup", done.kind());
            assertEquals(50L, ((Number) done.result().get("Documents")).longValue());
            assertTrue(!seen.isEmpty() && seen.get(seen.size() - 1).ended());
            assertEquals(100.0, done.progress().percent());

            OperationStatus restored = ops.operations().waitForCompletion(ops.restore(backups.toString(),
                    "clientcopy", null), Duration.ofSeconds(60));
            assertEquals("clientcopy", restored.result().get("DatabaseName"));
            try (var copy = new DocumentStore(server.url(), "clientcopy"); var s = copy.openSession()) {
                assertEquals(50, s.query(User.class).toList().size());
            }

            OperationStatus compacted = ops.operations().waitForCompletion(ops.compact(), Duration.ofSeconds(60));
            assertTrue(((Number) compacted.result().get("BytesAfter")).longValue()
                    < ((Number) compacted.result().get("BytesBefore")).longValue());
            try (var s = store.openSession()) {
                assertEquals(50, s.query(User.class).toList().size(), "every document survives compaction");
            }
            assertTrue(ops.operations().list().stream().anyMatch(o -> o.id() == done.id()));

            assertThrows(BadRequestException.class, () -> ops.backup("relative/folder"));
            Path file;
            try (var l = Files.list(backups)) {
                file = l.filter(p -> p.toString().endsWith(".full.blit")).findFirst().orElseThrow();
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.allocate(1);
                ch.read(b, 5000);
                b.put(0, (byte) (b.get(0) ^ 4));
                ch.write(b.flip(), 5000);
            }
            long bad = ops.restore(file.toString(), "broken", null);
            var failed = assertThrows(OperationFailedException.class, () -> ops.operations().waitForCompletion(bad,
                    Duration.ofSeconds(60)));
            assertEquals("Faulted", failed.status().state());
            assertEquals("InvalidBackup", failed.status().error().type());
            assertTrue(failed.getMessage().contains(file.toString()), failed.getMessage());
        }
    }
}
