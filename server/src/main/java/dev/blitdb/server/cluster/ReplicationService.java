package dev.blitdb.server.cluster;

import dev.blitdb.cluster.raft.RaftNode;
import dev.blitdb.cluster.raft.ReplicaStore;
import dev.blitdb.cluster.raft.ReplicatedWrites;
import dev.blitdb.server.databases.Database;
import dev.blitdb.server.databases.DatabaseService;
import dev.blitdb.storage.documents.DocumentStore;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Binds every database of a cluster node to its Raft group: writes are routed to the group's log, and the group's
 * state machine becomes the store's only writer. The binding outlives the store: a snapshot installed from the
 * leader replaces the store under it ({@link Database#replaceStoreFile}) while group and write route stay.
 * Dropping the database leaves its group on this node and deletes the group's Raft folder; any other close
 * (shut-down) only stops proposing, keeping group and log for the next start.
 */
public final class ReplicationService implements DatabaseService.Factory {

    private final RaftNode node;

    public ReplicationService(RaftNode node) {
        this.node = node;
    }

    @Override
    public DatabaseService start(Database database) throws Exception {
        String name = database.name().value();
        ReplicatedWrites writes = node.attach(name, new ReplicaStore() {
            @Override
            public DocumentStore current() {
                return database.store();
            }

            @Override
            public void replaceWith(Path snapshot) throws IOException {
                database.replaceStoreFile(snapshot);
            }
        });
        database.routeWritesThrough(writes);
        // Only a drop leaves the group (and deletes its log); any other close keeps both for the next open.
        return (DatabaseService.OutlivesStore) () -> node.detach(name, database.isDropping());
    }
}
