package dev.blitdb.server.cluster;

import dev.blitdb.cluster.raft.RaftNode;
import dev.blitdb.cluster.raft.ReplicatedWrites;
import dev.blitdb.server.databases.Database;
import dev.blitdb.server.databases.DatabaseService;

/**
 * Binds every database of a cluster node to its Raft group: writes are routed to the group's log, and the group's
 * state machine becomes the store's only writer. Closing the database (drop, or shut-down) leaves the group here;
 * on a drop that also deletes the group's Raft folder (at shut-down the Raft server is already stopped, so the
 * group and its log stay for the next start).
 */
public final class ReplicationService implements DatabaseService.Factory {

    private final RaftNode node;

    public ReplicationService(RaftNode node) {
        this.node = node;
    }

    @Override
    public DatabaseService start(Database database) throws Exception {
        String name = database.name().value();
        ReplicatedWrites writes = node.attach(name, database.store());
        database.routeWritesThrough(writes);
        return () -> node.detach(name);
    }
}
