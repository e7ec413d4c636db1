package dev.blitdb.cluster.raft;

import dev.blitdb.storage.documents.DocumentStore;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a group's state machine finds its database's store, and how it replaces the store with a snapshot received
 * from the leader. The server implements it over its database (pause, close, put the file in place, reopen), so
 * the state machine never holds a store that was closed under it.
 */
public interface ReplicaStore {

    /** The store as it is now (it changes after {@link #replaceWith}). */
    DocumentStore current();

    /**
     * Replaces the store's data file with a copy of {@code snapshot} (a complete data file written by
     * {@code SnapshotCopy}; the file itself stays where it is) and reopens the store on it. Called with no entry
     * being applied. On failure the old store stays in place, or the database is left failed with the reason.
     */
    void replaceWith(Path snapshot) throws IOException;
}
