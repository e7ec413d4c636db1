/**
 * Backups of a document store: a full backup is a {@code SnapshotCopy} of one read snapshot plus a manifest
 * written last; {@link dev.blitdb.storage.backup.BackupRestore} verifies a backup and rebuilds a data folder from it.
 * The file layout and the manifest are specified in {@code storage/BACKUP.md}.
 */
package dev.blitdb.storage.backup;
