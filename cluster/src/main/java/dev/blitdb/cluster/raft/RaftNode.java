package dev.blitdb.cluster.raft;

import dev.blitdb.cluster.topology.ClusterMember;
import dev.blitdb.cluster.topology.ClusterSpec;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * This node's one Ratis {@link RaftServer}, hosting one Raft group per database (multi-raft). Its Raft log and
 * group metadata live under {@code <data>/.raft/<group uuid>/}; the databases' stores stay where they always are.
 *
 * <p>Life: {@link #attach} every local database as it opens (the group's state machine needs its store), then
 * {@link #start} — which also joins the groups of databases Ratis did not know yet. Databases created later are
 * attached and joined at once. A group folder whose database is gone (dropped while this node was down) is removed
 * before the server starts.
 *
 * <p>The group id and the database id of a database are derived from its (lower-cased) name, so every node computes
 * the same ones without talking to the others, and change vectors name the group, not a node.
 */
public final class RaftNode implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RaftNode.class.getName());

    private final ClusterSpec spec;
    private final Path raftDir;
    private final RaftTimeouts timeouts;
    private final SnapshotPolicy snapshots;
    private final Map<RaftGroupId, ReplicaGroup> groups = new ConcurrentHashMap<>();
    private final Map<RaftGroupId, ReplicatedWrites> writes = new ConcurrentHashMap<>();
    private final AtomicLong callIds = new AtomicLong();
    private final ClientId adminClient = ClientId.randomId();
    private volatile RaftServer server;

    public RaftNode(ClusterSpec spec, Path raftDir, RaftTimeouts timeouts) {
        this(spec, raftDir, timeouts, SnapshotPolicy.DEFAULT);
    }

    public RaftNode(ClusterSpec spec, Path raftDir, RaftTimeouts timeouts, SnapshotPolicy snapshots) {
        this.spec = spec;
        this.raftDir = raftDir;
        this.timeouts = timeouts;
        this.snapshots = snapshots;
    }

    public ClusterSpec spec() {
        return spec;
    }

    /** The Raft group id of a database: a name-based UUID of its lower-cased name. */
    public static RaftGroupId groupId(String database) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(
                ("blitdb-database:" + database.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8)));
    }

    /** The database id (the end of every change vector) of a replicated database: its group id, base64url. */
    public static String databaseId(String database) {
        UUID u = groupId(database).getUuid();
        byte[] b = java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    RaftServer server() {
        return server;
    }

    /**
     * Binds a local database to its group and returns its write side. Joins the group at once when the server
     * runs (a database created at run time); otherwise {@link #start} does.
     */
    public ReplicatedWrites attach(String database, ReplicaStore store) throws IOException {
        RaftGroupId id = groupId(database);
        ReplicaGroup group = new ReplicaGroup(database, id, spec, this,
                proposer -> new DatabaseStateMachine(database, store, proposer));
        if (groups.putIfAbsent(id, group) != null) {
            throw new IllegalStateException("database '" + database + "' is already attached");
        }
        ReplicatedWrites w = new ReplicatedWrites(group, callIds);
        writes.put(id, w);
        if (server != null) {
            join(id);
        }
        return w;
    }

    /**
     * Unbinds a closing database: stops its proposer; when {@code leaveGroup} (a drop) also leaves the group on this
     * node and deletes its Raft folder, otherwise the group and its log stay for the next start.
     */
    public void detach(String database, boolean leaveGroup) {
        RaftGroupId id = groupId(database);
        ReplicatedWrites w = writes.remove(id);
        if (w != null) {
            try {
                w.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        RaftServer s = server;
        if (leaveGroup && s != null && contains(s, id)) {
            try {
                s.groupManagement(GroupManagementRequest.newRemove(adminClient, s.getId(), callIds.incrementAndGet(),
                        id, true, false));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "leaving the group of '" + database + "' failed", e);
            }
        }
        groups.remove(id);
    }

    /** The group of a database attached here. */
    public java.util.Optional<ReplicaGroup> group(String database) {
        return java.util.Optional.ofNullable(groups.get(groupId(database)));
    }

    public List<ReplicaGroup> groups() {
        return groups.values().stream().sorted(Comparator.comparing(ReplicaGroup::database)).toList();
    }

    /** Starts the Raft server on this node's Raft port and joins every attached database's group. */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        Files.createDirectories(raftDir);
        removeOrphanGroups();
        ClusterMember self = spec.self();
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(raftDir.toFile()));
        GrpcConfigKeys.Server.setHost(p, self.host());
        GrpcConfigKeys.Server.setPort(p, self.raftPort());
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, ms(timeouts.electionMin().toMillis()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, ms(timeouts.electionMax().toMillis()));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, ms(timeouts.electionMin().toMillis() / 2));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, ms(timeouts.electionMax().toMillis() / 2));
        RaftServerConfigKeys.Rpc.setRequestTimeout(p, ms(Math.max(3000, 2 * timeouts.electionMax().toMillis())));
        // Linearizable reads through ReadIndex, on the leader and on followers alike (?consistency=linearizable).
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        // One entry may carry up to ReplicatedWrites.MAX_BYTES of documents; leave room for it everywhere.
        // (Ratis needs the write buffer to hold the appender's largest batch; both are per group.)
        RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf((ReplicatedWrites.MAX_ENTRY_BYTES + (1 << 20)) + "B"));
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(ReplicatedWrites.MAX_ENTRY_BYTES + "B"));
        RaftServerConfigKeys.Log.setSegmentCacheSizeMax(p, SizeInBytes.valueOf("32MB"));
        RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf("1MB"));
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf("32MB"));
        snapshotProperties(p, snapshots);
        RaftGroup empty = RaftGroup.emptyGroup();
        StateMachine.Registry registry = gid -> {
            if (gid.equals(empty.getGroupId())) {
                // The server's own placeholder group (no peers, never elects): Ratis's no-op state machine.
                return new org.apache.ratis.statemachine.impl.BaseStateMachine();
            }
            ReplicaGroup g = groups.get(gid);
            if (g == null) {
                throw new IllegalStateException("no local database for Raft group " + gid);
            }
            return g.stateMachine();
        };
        RaftServer s = RaftServer.newBuilder()
                .setServerId(RaftPeerId.valueOf(self.id()))
                .setGroup(empty)
                .setStateMachineRegistry(registry)
                .setProperties(p)
                .build();
        s.start();
        server = s;
        for (RaftGroupId id : groups.keySet()) {
            join(id);
        }
    }

    /**
     * Snapshots (a {@link dev.blitdb.storage.engine.SnapshotCopy} of the store, see {@link DatabaseStateMachine}) every
     * {@link SnapshotPolicy#thresholdEntries} applied entries, the log purged behind each (whole segments; the
     * policy's kept entries stay), and a follower whose next entry is gone gets the snapshot file in chunks.
     * Purging goes up to the snapshot even past a follower that is down: otherwise one dead node would pin the log
     * for ever; it catches up by snapshot install instead.
     */
    static void snapshotProperties(RaftProperties p, SnapshotPolicy policy) {
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, policy.thresholdEntries());
        RaftServerConfigKeys.Snapshot.setCreationGap(p, Math.min(1024, policy.thresholdEntries()));
        // The newest and the one before (a follower may still be receiving it when the next is taken).
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgePreservationLogNum(p, policy.keptEntries());
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.max(1, Math.min(1024, policy.thresholdEntries() / 2)));
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(policy.segmentBytes() + "B"));
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, true);
        // Chunks of 4 MiB: well inside the gRPC message limit set above, few round trips per file.
        RaftServerConfigKeys.Log.Appender.setSnapshotChunkSizeMax(p, SizeInBytes.valueOf("4MB"));
    }

    private static TimeDuration ms(long millis) {
        return TimeDuration.valueOf(millis, TimeUnit.MILLISECONDS);
    }

    private void join(RaftGroupId id) throws IOException {
        RaftServer s = server;
        if (contains(s, id)) {
            return;
        }
        s.groupManagement(GroupManagementRequest.newAdd(adminClient, s.getId(), callIds.incrementAndGet(),
                RaftGroup.valueOf(id, peers())));
    }

    private static boolean contains(RaftServer s, RaftGroupId id) {
        for (RaftGroupId g : s.getGroupIds()) {
            if (g.equals(id)) {
                return true;
            }
        }
        return false;
    }

    private List<RaftPeer> peers() {
        List<RaftPeer> peers = new ArrayList<>();
        for (ClusterMember m : spec.members()) {
            peers.add(RaftPeer.newBuilder().setId(m.id()).setAddress(m.raftAddress()).build());
        }
        return peers;
    }

    /** Ratis keeps one folder per group named by its UUID; one without an attached database is a leftover. */
    private void removeOrphanGroups() throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(raftDir, Files::isDirectory)) {
            for (Path d : dirs) {
                UUID uuid;
                try {
                    uuid = UUID.fromString(d.getFileName().toString());
                } catch (IllegalArgumentException e) {
                    continue;
                }
                // The server's own placeholder group holds nothing, and Ratis refuses to format it twice.
                boolean placeholder = uuid.equals(RaftGroup.emptyGroup().getGroupId().getUuid());
                if (placeholder || !groups.containsKey(RaftGroupId.valueOf(uuid))) {
                    if (!placeholder) {
                        LOG.log(System.Logger.Level.INFO, "removing Raft folder " + d + ": its database is gone");
                    }
                    try (Stream<Path> all = Files.walk(d)) {
                        for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(f);
                        }
                    }
                }
            }
        }
    }

    /**
     * A linearizable read barrier: completes with the read index once this node has applied everything committed
     * when the read began (Ratis ReadIndex; a follower asks the leader for the index). Fails when no leader is
     * reachable.
     */
    public CompletableFuture<Long> readBarrier(String database) {
        ReplicaGroup g = groups.get(groupId(database));
        RaftServer s = server;
        if (g == null || s == null) {
            return CompletableFuture.failedFuture(new ReadBarrierException("database '" + database
                    + "' has no running Raft group on node " + spec.selfId() + " (starting?): retry shortly", null));
        }
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(adminClient)
                .setServerId(s.getId())
                .setGroupId(g.groupId())
                .setCallId(callIds.incrementAndGet())
                .setMessage(Message.EMPTY)
                .setType(RaftClientRequest.readRequestType())
                .build();
        try {
            return s.submitClientRequestAsync(request).thenApply((RaftClientReply r) -> {
                if (!r.isSuccess()) {
                    throw new ReadBarrierException("linearizable read of '" + database + "' failed on node "
                            + spec.selfId() + ": " + r.getException(), r.getException());
                }
                return r.getMessage().getContent().asReadOnlyByteBuffer().getLong();
            }).orTimeout(ReplicatedWrites.COMMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The write side of an attached database. */
    public ReplicatedWrites writes(String database) {
        ReplicatedWrites w = writes.get(groupId(database));
        if (w == null) {
            throw new IllegalStateException("database '" + database + "' is not attached");
        }
        return w;
    }

    @Override
    public synchronized void close() throws IOException {
        for (ReplicatedWrites w : writes.values()) {
            try {
                w.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        RaftServer s = server;
        server = null;
        if (s != null) {
            s.close();
        }
    }
}
