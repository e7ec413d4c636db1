package dev.blitdb.storage.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The backups of one folder that a restore applies, in order: the newest full backup at or before the chosen file,
 * then every complete incremental after it up to the chosen file. Each link must continue the one before it (same
 * database id, {@code FromEtag} = the previous {@code LastEtag}); a file without a manifest before the chosen one
 * (an interrupted backup) is skipped, and the etag check then proves nothing is missing. Building a chain reads
 * only the manifests; {@link BackupRestore} checks every file against its manifest.
 *
 * @param folder  the backup folder
 * @param entries the full backup, then the incrementals, with their manifests
 */
public record BackupChain(Path folder, List<BackupManifest> entries) {

    private static boolean isBackupFile(String name) {
        return name.endsWith(BackupFiles.FULL_SUFFIX) || name.endsWith(BackupFiles.INCREMENTAL_SUFFIX);
    }

    /** The newest backup in {@code folder} that has its manifest, or null (no folder, or no complete backup). */
    public static BackupManifest newestComplete(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return null;
        }
        TreeMap<String, Path> files = backupFiles(folder);
        for (String name : files.descendingKeySet()) {
            Path manifestFile = BackupFiles.manifestOf(files.get(name));
            if (Files.exists(manifestFile)) {
                return BackupManifest.parse(Files.readAllBytes(manifestFile), manifestFile.toString());
            }
        }
        return null;
    }

    private static TreeMap<String, Path> backupFiles(Path folder) throws IOException {
        TreeMap<String, Path> files = new TreeMap<>();
        try (var list = Files.list(folder)) {
            list.filter(p -> isBackupFile(p.getFileName().toString())).forEach(p -> files.put(
                    p.getFileName().toString(), p));
        }
        return files;
    }

    /**
     * The chain in {@code folder} ending at {@code upTo} (a backup file's name, or its manifest's; null = the
     * newest file).
     *
     * @throws BackupInvalidException when the chosen file is incomplete (no manifest), no full backup precedes it,
     *                                or the manifests do not form a chain
     */
    public static BackupChain of(Path folder, String upTo) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new BackupInvalidException(folder.toString(), "existence", "no such backup folder");
        }
        TreeMap<String, Path> files = backupFiles(folder);
        if (files.isEmpty()) {
            throw new BackupInvalidException(folder.toString(), "existence", "the folder holds no backup files ("
                    + "*" + BackupFiles.FULL_SUFFIX + ", *" + BackupFiles.INCREMENTAL_SUFFIX + ")");
        }
        String last;
        if (upTo == null || upTo.isBlank()) {
            last = files.lastKey();
        } else {
            last = Path.of(upTo).getFileName().toString();
            if (last.endsWith(BackupManifest.SUFFIX)) {
                last = last.substring(0, last.length() - BackupManifest.SUFFIX.length());
            }
            if (!files.containsKey(last)) {
                throw new BackupInvalidException(folder.resolve(last).toString(), "existence",
                        "UpTo names no backup file in " + folder);
            }
        }
        List<String> names = new ArrayList<>(files.headMap(last, true).keySet());
        int start = -1;
        for (int i = names.size() - 1; i >= 0; i--) {
            if (names.get(i).endsWith(BackupFiles.FULL_SUFFIX)
                    && (names.get(i).equals(last) || Files.exists(BackupFiles.manifestOf(files.get(names.get(i)))))) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            throw new BackupInvalidException(folder.resolve(last).toString(), "chain",
                    "no full backup precedes it in " + folder);
        }
        List<BackupManifest> chain = new ArrayList<>();
        for (String name : names.subList(start, names.size())) {
            Path file = files.get(name);
            Path manifestFile = BackupFiles.manifestOf(file);
            if (!Files.exists(manifestFile) && !name.equals(last)) {
                continue; // an interrupted backup before the chosen file: the etag link check below covers it
            }
            if (!Files.exists(manifestFile)) {
                throw new BackupInvalidException(file.toString(), "completeness", "it has no manifest ("
                        + manifestFile.getFileName() + "), so it was interrupted or is still being written"
                        + (name.equals(last) && upTo == null ? "; name an earlier file with UpTo" : ""));
            }
            BackupManifest m = BackupManifest.parse(Files.readAllBytes(manifestFile), manifestFile.toString());
            if (!m.file().equals(name)) {
                throw new BackupInvalidException(manifestFile.toString(), "manifest", "it describes " + m.file()
                        + ", not " + name);
            }
            if (chain.isEmpty() != m.full()) {
                throw new BackupInvalidException(manifestFile.toString(), "manifest", "it says Type " + m.type()
                        + " but the file name says " + (m.full() ? "incremental" : "full"));
            }
            if (!chain.isEmpty()) {
                BackupManifest prev = chain.getLast();
                if (!m.databaseId().equals(prev.databaseId())) {
                    throw new BackupInvalidException(file.toString(), "chain", "it belongs to database id "
                            + m.databaseId() + ", the backups before it to " + prev.databaseId());
                }
                if (m.fromEtag() != prev.lastEtag()) {
                    throw new BackupInvalidException(file.toString(), "chain", "it holds changes after etag "
                            + m.fromEtag() + " but the backup before it (" + prev.file() + ") ends at etag "
                            + prev.lastEtag() + ": a link of the chain is missing");
                }
            }
            chain.add(m);
        }
        return new BackupChain(folder, List.copyOf(chain));
    }

    public Path file(BackupManifest m) {
        return folder.resolve(m.file());
    }

    /** Bytes of all files in the chain, attached (index) files included. */
    public long bytes() {
        return entries.stream().mapToLong(m -> m.bytes() + m.files().stream()
                .mapToLong(BackupManifest.FileEntry::bytes).sum()).sum();
    }

    public BackupManifest last() {
        return entries.getLast();
    }
}
