package dev.blitdb.server.backup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Retention counts chains: a full backup with the incrementals after it; older chains go whole. */
class BackupRetentionTest {

    @TempDir
    Path folder;

    private void backup(String name, boolean complete) throws Exception {
        Files.writeString(folder.resolve(name), "x");
        if (complete) {
            Files.writeString(folder.resolve(name + ".manifest.json"), "{}");
        }
    }

    private List<String> names() throws Exception {
        try (var l = Files.list(folder)) {
            return l.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void shouldKeepTheNewestChainsWithTheirIncrementals() throws Exception {
        backup("20261201-000000-000.full.blit", true);
        Files.createDirectories(folder.resolve("20261201-000000-000.full.blit.files/indexes/x"));
        Files.writeString(folder.resolve("20261201-000000-000.full.blit.files/indexes/x/_0.cfs"), "lucene");
        backup("20261201-010000-000.incremental.blitz", true);
        backup("20261201-020000-000.incremental.blitz", false); // interrupted
        backup("20261202-000000-000.full.blit", true);
        backup("20261202-010000-000.incremental.blitz", true);
        backup("20261203-000000-000.full.blit", false); // interrupted: does not count as a chain
        backup("20261203-000001-000.full.blit", true);
        backup("20261203-010000-000.incremental.blitz", true);

        BackupSchedule.prune(folder, 3);
        assertEquals(15, names().size(), "three complete chains: nothing to prune");

        BackupSchedule.prune(folder, 2);
        assertEquals(List.of(
                "20261202-000000-000.full.blit", "20261202-000000-000.full.blit.manifest.json",
                "20261202-010000-000.incremental.blitz", "20261202-010000-000.incremental.blitz.manifest.json",
                "20261203-000000-000.full.blit",
                "20261203-000001-000.full.blit", "20261203-000001-000.full.blit.manifest.json",
                "20261203-010000-000.incremental.blitz", "20261203-010000-000.incremental.blitz.manifest.json"),
                names());

        BackupSchedule.prune(folder, 1);
        assertEquals(List.of("20261203-000001-000.full.blit", "20261203-000001-000.full.blit.manifest.json",
                "20261203-010000-000.incremental.blitz", "20261203-010000-000.incremental.blitz.manifest.json"),
                names());
    }
}
