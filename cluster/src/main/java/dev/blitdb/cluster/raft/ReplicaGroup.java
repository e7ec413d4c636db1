package dev.blitdb.cluster.raft;

import dev.blitdb.cluster.topology.ClusterMember;
import dev.blitdb.cluster.topology.ClusterSpec;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** One database's Raft group as seen from this node: the ids, the local state machine, who leads. */
public final class ReplicaGroup {

    private final String database;
    private final RaftGroupId groupId;
    private final RaftNode node;
    private final DatabaseStateMachine stateMachine;
    private final ClientId proposerId = ClientId.randomId();
    private final AtomicLong lastTimestamp = new AtomicLong();

    ReplicaGroup(String database, RaftGroupId groupId, RaftNode node,
                 java.util.function.Function<ClientId, DatabaseStateMachine> stateMachine) {
        this.database = database;
        this.groupId = groupId;
        this.node = node;
        this.stateMachine = stateMachine.apply(proposerId);
    }

    public String database() {
        return database;
    }

    public RaftGroupId groupId() {
        return groupId;
    }

    public DatabaseStateMachine stateMachine() {
        return stateMachine;
    }

    ClientId proposerId() {
        return proposerId;
    }

    RaftPeerId selfPeerId() {
        return RaftPeerId.valueOf(node.spec().selfId());
    }

    String selfId() {
        return node.spec().selfId();
    }

    RaftServer server() {
        return node.server();
    }

    /**
     * Submits a request to this node's member of the group on the calling thread. Ratis's server-level
     * {@code submitClientRequestAsync} hands every request to a client thread pool and blocks the caller until that
     * thread has submitted it (built for gRPC threads, which must not run it): for the proposer, one more thread
     * hand-off per log entry and nothing gained, as it waits anyway. Its group member (Ratis's division) takes the
     * same request directly; where a division cannot ({@link #submitsDirectly} false), the server's way is used.
     */
    CompletableFuture<RaftClientReply> submit(RaftClientRequest request) throws IOException {
        RaftServer s = node.server();
        if (s.getDivision(groupId) instanceof RaftClientAsynchronousProtocol division) {
            return division.submitClientRequestAsync(request);
        }
        return s.submitClientRequestAsync(request);
    }

    /** Whether {@link #submit} goes straight to the group's division here (the Ratis 3.2 division does). */
    boolean submitsDirectly() throws IOException {
        return node.server().getDivision(groupId) instanceof RaftClientAsynchronousProtocol;
    }

    /** The leader's clock for a new entry, never going backwards on this node (last-modified stays ordered). */
    long nextTimestamp() {
        return lastTimestamp.updateAndGet(last -> Math.max(last, System.currentTimeMillis()));
    }

    /** This node's view of the group, or empty while the group is not running here. */
    public Optional<DivisionInfo> info() {
        RaftServer s = node.server();
        if (s == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(s.getDivision(groupId).getInfo());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The commit index this node knows (-1 while the group is not running here). */
    public long commitIndex() {
        RaftServer s = node.server();
        if (s == null) {
            return -1;
        }
        try {
            return s.getDivision(groupId).getRaftLog().getLastCommittedIndex();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The first index still in this node's Raft log (entries before it were purged behind a snapshot); -1 if not running. */
    public long logStartIndex() {
        RaftServer s = node.server();
        if (s == null) {
            return -1;
        }
        try {
            return s.getDivision(groupId).getRaftLog().getStartIndex();
        } catch (IOException e) {
            return -1;
        }
    }

    public boolean isLeader() {
        return info().map(DivisionInfo::isLeader).orElse(false);
    }

    /** The id of the leader this node knows of, if any. */
    public Optional<String> leaderId() {
        return info().map(DivisionInfo::getLeaderId).map(RaftPeerId::toString);
    }

    /** Null when this node leads the group; else the exception a write gets here. */
    NotLeaderException notLeader() {
        if (isLeader()) {
            return null;
        }
        String leader = leaderId().orElse(null);
        ClusterSpec spec = node.spec();
        String url = leader == null ? null : spec.member(leader).map(ClusterMember::url).orElse(null);
        return new NotLeaderException(database, spec.selfId(), leader, url);
    }
}
