package dev.blitdb.cluster.raft;

import dev.blitdb.storage.documents.DocumentStore;

import java.nio.file.Path;

/** A test replica whose store never changes: snapshot installs are refused (the tests using it take none). */
record FixedReplicaStore(DocumentStore current) implements ReplicaStore {

    @Override
    public void replaceWith(Path snapshot) {
        throw new UnsupportedOperationException("no snapshot install in this test");
    }
}
