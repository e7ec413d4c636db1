package dev.blitdb.cluster.raft;

import dev.blitdb.cluster.topology.ClusterMember;
import dev.blitdb.cluster.topology.ClusterSpec;
import dev.blitdb.storage.documents.DocumentStore;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
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

import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
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
    private final Map<RaftGroupId, ReplicaGroup> groups = new ConcurrentHashMap<>();
    private final Map<RaftGroupId, ReplicatedWrites> writes = new ConcurrentHashMap<>();
    private final AtomicLong callIds = new AtomicLong();
    private final ClientId adminClient = ClientId.randomId();
    private volatile RaftServer server;
    private volatile GrpcTlsConfig tls;

    public RaftNode(ClusterSpec spec, Path raftDir, RaftTimeouts timeouts) {
        this.spec = spec;
        this.raftDir = raftDir;
        this.timeouts = timeouts;
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
    public ReplicatedWrites attach(String database, DocumentStore store) throws IOException {
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

    /**
     * Secures this node's Raft traffic (before {@link #start}): gRPC over TLS on every link, mutual — this node
     * presents {@code keyManager}'s certificate when it calls a peer and requires one from every caller, and
     * {@code trustManager} decides which peers' certificates it accepts, both ways. A caller without an accepted
     * certificate fails the handshake and never reaches the Raft service.
     */
    public void useTls(KeyManager keyManager, TrustManager trustManager) {
        if (server != null) {
            throw new IllegalStateException("TLS must be set before the Raft server starts");
        }
        tls = new GrpcTlsConfig(keyManager, trustManager, true);
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
        // No commit-index metadata entries: with them on (Ratis's default) the leader appends, syncs and replicates
        // one more log entry after every commit, doubling the log syncs and round trips of the write path. Without
        // them a restarted node learns the commit index from the leader before applying the log tail past its
        // store's applied position, which Raft needs no more than that (bench/results/cluster.md).
        RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
        // One entry may carry up to ReplicatedWrites.MAX_BYTES of documents; leave room for it everywhere.
        // (Ratis needs the write buffer to hold the appender's largest batch; both are per group.)
        RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf((ReplicatedWrites.MAX_ENTRY_BYTES + (1 << 20)) + "B"));
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(ReplicatedWrites.MAX_ENTRY_BYTES + "B"));
        RaftServerConfigKeys.Log.setSegmentCacheSizeMax(p, SizeInBytes.valueOf("32MB"));
        RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf("1MB"));
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf("32MB"));
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
        Parameters parameters = new Parameters();
        GrpcTlsConfig secured = tls;
        if (secured != null) {
            // One TLS setting for the server, client and admin sides of Ratis's gRPC transport.
            GrpcConfigKeys.TLS.setConf(parameters, secured);
        }
        RaftServer s = RaftServer.newBuilder()
                .setServerId(RaftPeerId.valueOf(self.id()))
                .setParameters(parameters)
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
