package dev.blitdb.storage.backup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Names and safe writes of backup files. A backup folder holds, in name (= time) order:
 * <pre>
 *   20261202-041500-123.full.blit                   a full backup: a compacting copy of the data file
 *   20261202-041500-123.full.blit.manifest.json     its manifest, written last
 *   20261202-051500-004.incremental.blitz           changes after the previous backup ({@link IncrementalFile})
 *   20261202-051500-004.incremental.blitz.manifest.json
 * </pre>
 */
public final class BackupFiles {

    public static final String FULL_SUFFIX = ".full.blit";
    public static final String INCREMENTAL_SUFFIX = ".incremental.blitz";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
            .withZone(ZoneOffset.UTC);

    private BackupFiles() {
    }

    /** Where backup bytes go; tests inject failures (a full disk) through this. */
    @FunctionalInterface
    public interface Target {
        WritableByteChannel create(Path file) throws IOException;

        Target FILES = file -> FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** A fresh name {@code <stamp><suffix>} in {@code folder}, later than every existing backup's stamp. */
    static synchronized Path newFile(Path folder, String suffix) throws IOException {
        Instant t = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        try (var names = Files.list(folder)) {
            for (String n : (Iterable<String>) names.map(p -> p.getFileName().toString())::iterator) {
                Instant existing = stampOf(n);
                if (existing != null && !existing.isBefore(t)) {
                    t = existing.plusMillis(1);
                }
            }
        }
        return folder.resolve(STAMP.format(t) + suffix);
    }

    /** The time in a backup file's name, or null if the name does not start with a stamp. */
    static Instant stampOf(String name) {
        if (name.length() < 19) {
            return null;
        }
        try {
            return Instant.from(STAMP.parse(name.substring(0, 19)));
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** The folder of a full backup's attached files (index files): {@code <file>.files}. */
    public static Path attachmentsOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".files");
    }

    /** Deletes a folder and everything in it, if it exists. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Syncs every folder under {@code root} (the files were synced as they were written). */
    static void syncTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.filter(Files::isDirectory).toList()) {
                syncFolder(p);
            }
        }
        syncFolder(root.getParent());
    }

    static Path manifestOf(Path file) {
        return file.resolveSibling(file.getFileName() + BackupManifest.SUFFIX);
    }

    /** Writes the manifest beside its file: temporary file, sync, atomic rename, sync of the folder. */
    static void writeManifest(Path file, BackupManifest manifest) throws IOException {
        Path target = manifestOf(file);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(manifest.toJson()));
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        syncFolder(file.getParent());
    }

    static void syncFolder(Path folder) {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems refuse to sync a directory; the rename is still atomic, only its durability waits.
        }
    }

    /** Whether an I/O error means "no room": ENOSPC, EFBIG (a file-size limit) or a quota. */
    static boolean outOfSpace(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("No space left") || m.contains("File too large") || m.contains("quota");
    }
}
