package dev.blitdb.storage.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The backups of one folder that a restore applies: the newest full backup at or before the chosen file (this
 * build writes full backups only; the list form leaves room for incrementals after it). Building a chain reads
 * only the manifests; {@link BackupRestore} checks every file against its manifest.
 *
 * @param folder  the backup folder
 * @param entries the full backup, with its manifest
 */
public record BackupChain(Path folder, List<BackupManifest> entries) {

    private static boolean isBackupFile(String name) {
        return name.endsWith(BackupFiles.FULL_SUFFIX);
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
        TreeMap<String, Path> files = new TreeMap<>();
        try (var list = Files.list(folder)) {
            list.filter(p -> isBackupFile(p.getFileName().toString())).forEach(p -> files.put(
                    p.getFileName().toString(), p));
        }
        if (files.isEmpty()) {
            throw new BackupInvalidException(folder.toString(), "existence", "the folder holds no backup files ("
                    + "*" + BackupFiles.FULL_SUFFIX + ")");
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
            if (names.get(i).endsWith(BackupFiles.FULL_SUFFIX)) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            throw new BackupInvalidException(folder.resolve(last).toString(), "chain",
                    "no full backup precedes it in " + folder);
        }
        List<BackupManifest> chain = new ArrayList<>();
        for (String name : names.subList(start, start + 1)) {
            Path file = files.get(name);
            Path manifestFile = BackupFiles.manifestOf(file);
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
            if (!chain.isEmpty()) {
                BackupManifest prev = chain.getLast();
                if (!m.databaseId().equals(prev.databaseId())) {
                    throw new BackupInvalidException(file.toString(), "chain", "it belongs to database id "
                            + m.databaseId() + ", the backups before it to " + prev.databaseId());
                }
                if (m.fromEtag() != prev.lastEtag()) {
                    throw new BackupInvalidException(file.toString(), "chain", "it holds changes after etag "
                            + m.fromEtag() + " but the backup before it ends at etag " + prev.lastEtag());
                }
            }
            chain.add(m);
        }
        return new BackupChain(folder, List.copyOf(chain));
    }

    public Path file(BackupManifest m) {
        return folder.resolve(m.file());
    }

    /** Bytes of all files in the chain. */
    public long bytes() {
        return entries.stream().mapToLong(BackupManifest::bytes).sum();
    }

    public BackupManifest last() {
        return entries.getLast();
    }
}
