package dev.blitdb.server.cli;

import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.lucene.LuceneIndex;
import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.storage.backup.FullBackup;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.DocumentStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Lucene files a backup of a stopped database folder can carry: for each stored index definition, the last
 * commit in its folder when it is consistent with the store snapshot being backed up — built for that definition
 * and at or behind the snapshot's last etag (documents and tombstones), so a restored index resumes from it and
 * indexes the rest, as after a restart. Any other index (no commit, another definition, a commit ahead of the
 * store, unreadable) is left out and rebuilds on restore; {@link #left()} says why.
 *
 * @param files    the files to attach, relative to the database folder
 * @param included the indexes whose files are attached
 * @param left     the indexes left out, each with the reason
 */
record StoppedIndexes(List<FullBackup.Attachment> files, List<String> included, Map<String, String> left) {

    static StoppedIndexes of(DocumentStore store, DocumentReader snapshot, Path databaseFolder) {
        Path dbFolder = databaseFolder.toAbsolutePath();
        List<FullBackup.Attachment> files = new ArrayList<>();
        List<String> included = new ArrayList<>();
        Map<String, String> left = new LinkedHashMap<>();
        long lastEtag = snapshot.lastEtag();
        for (Map.Entry<IndexDefinition, Path> e : IndexManager.storedIndexes(store, dbFolder.resolve("indexes"))
                .entrySet()) {
            String name = e.getKey().name();
            try {
                var commit = LuceneIndex.lastCommit(e.getValue().toAbsolutePath(), e.getKey());
                if (commit.isEmpty()) {
                    left.put(name, "no commit of this definition in " + e.getValue());
                    continue;
                }
                var p = commit.get().progress();
                if (p.lastDocumentEtag() > lastEtag || p.lastTombstoneEtag() > lastEtag) {
                    left.put(name, "its commit (etags " + p.lastDocumentEtag() + "/" + p.lastTombstoneEtag()
                            + ") is ahead of the store (last etag " + lastEtag + ")");
                    continue;
                }
                Path relative = dbFolder.relativize(commit.get().folder());
                for (String f : commit.get().files()) {
                    files.add(new FullBackup.Attachment(relative.resolve(f).toString(),
                            commit.get().folder().resolve(f)));
                }
                included.add(name);
            } catch (IOException | RuntimeException ex) {
                left.put(name, "its commit cannot be read (" + ex.getMessage() + ")");
            }
        }
        return new StoppedIndexes(files, included, left);
    }

    /** What a restore of this backup will do with the indexes, for the command's output. */
    String message() {
        if (included.isEmpty() && left.isEmpty()) {
            return "the database has no indexes";
        }
        String s = included.isEmpty() ? "" : included.size() + " index(es) with their files (a restore resumes "
                + "them from their commits)";
        if (!left.isEmpty()) {
            StringBuilder b = new StringBuilder(s.isEmpty() ? "" : s + "; ");
            b.append(left.size()).append(" index(es) without files rebuild from the documents on restore: ");
            left.forEach((n, why) -> b.append(n).append(" (").append(why).append("); "));
            s = b.substring(0, b.length() - 2);
        }
        return s;
    }
}
