package dev.blitdb.cluster.raft;

import dev.blitdb.cluster.topology.ClusterMember;
import dev.blitdb.cluster.topology.ClusterSpec;
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
import java.time.Duration;
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

    /** The cluster's members as this node knows them: {@code --cluster} at first, then runtime changes. */
    private volatile ClusterSpec spec;
    private final Path raftDir;
    private final RaftTimeouts timeouts;
    private final SnapshotPolicy snapshots;
    private final Map<RaftGroupId, ReplicaGroup> groups = new ConcurrentHashMap<>();
    private final Map<RaftGroupId, ReplicatedWrites> writes = new ConcurrentHashMap<>();
    /** The group ids of the attached databases by name: every request looks its group up (no MD5 per request). */
    private final Map<String, RaftGroupId> attachedIds = new ConcurrentHashMap<>();
    private final AtomicLong callIds = new AtomicLong();
    private final ClientId adminClient = ClientId.randomId();
    private volatile RaftServer server;
    /**
     * Groups whose database was dropped while the Raft server was not running yet (a drop from another node can
     * arrive while this one starts: its HTTP port opens first). {@link #start} leaves them once the server runs;
     * the server's scan of the Raft folders may already have opened them.
     */
    private final java.util.Set<RaftGroupId> leaveOnStart = ConcurrentHashMap.newKeySet();
    /** Orders a drop's look at {@link #server} with the start publishing it (held briefly, never across a call). */
    private final Object serverPublished = new Object();
    /** For tests: runs in {@link #start} between the orphan sweep and the Raft server's own scan of the folders. */
    private volatile Runnable afterOrphanSweep = () -> { };
    private volatile GrpcTlsConfig tls;
    /** Told about every page a snapshot copy writes (tests hold a copy with it). */
    private volatile dev.blitdb.storage.engine.SnapshotCopy.Listener copyListener =
            dev.blitdb.storage.engine.SnapshotCopy.Listener.NONE;
    /** A new member not yet admitted ({@code --join}): groups it joins start without itself. */
    private volatile boolean joining;

    public RaftNode(ClusterSpec spec, Path raftDir, RaftTimeouts timeouts) {
        this(spec, raftDir, timeouts, SnapshotPolicy.DEFAULT);
    }

    public RaftNode(ClusterSpec spec, Path raftDir, RaftTimeouts timeouts, SnapshotPolicy snapshots) {
        this.raftDir = raftDir;
        this.spec = loadMembers(spec, raftDir.resolve(MEMBERS_FILE));
        this.timeouts = timeouts;
        this.snapshots = snapshots;
    }

    /** Where the membership is kept once it changed at run time (it then wins over {@code --cluster}). */
    static final String MEMBERS_FILE = "members";

    private static ClusterSpec loadMembers(ClusterSpec initial, Path file) {
        if (!Files.exists(file)) {
            return initial;
        }
        try {
            String line = Files.readString(file, StandardCharsets.UTF_8).trim();
            List<ClusterMember> members = new ArrayList<>();
            for (String part : line.split(",")) {
                if (!part.isBlank()) {
                    members.add(ClusterMember.parse(part.trim()));
                }
            }
            if (members.stream().noneMatch(m -> m.id().equals(initial.selfId()))) {
                // This node was removed from the cluster: it is a cluster of one now.
                LOG.log(System.Logger.Level.WARNING, "node " + initial.selfId() + " was removed from the cluster ("
                        + file + " lists " + line + "): running as a cluster of one");
                return new ClusterSpec(initial.selfId(), List.of(initial.self()));
            }
            ClusterSpec kept = new ClusterSpec(initial.selfId(), members);
            if (initial.self().tls()) {
                kept = kept.withTls(); // the file keeps host:http:raft; a secured cluster's URLs are all https
            }
            if (!kept.format().equals(initial.format())) {
                LOG.log(System.Logger.Level.INFO, "membership from " + file + " (changed at run time): "
                        + kept.format() + "; --cluster said " + initial.format());
            }
            return kept;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read the cluster membership in " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sets this node's view of the cluster's members (after a runtime change) and keeps it in
     * {@code <data>/.raft/members}, written to a temporary file, synced and renamed.
     */
    public synchronized void updateMembers(ClusterSpec next) throws IOException {
        if (!next.selfId().equals(spec.selfId())) {
            throw new IllegalArgumentException("membership of node " + next.selfId() + " given to node " + spec.selfId());
        }
        Files.createDirectories(raftDir);
        Path file = raftDir.resolve(MEMBERS_FILE);
        Path tmp = raftDir.resolve(MEMBERS_FILE + ".tmp");
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap((next.format() + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        spec = next;
    }

    /**
     * Changes the members of a database's group to exactly {@code members} (Ratis setConfiguration through a Raft
     * client, which finds the group's leader). New members are first caught up by the leader — from its log, or by
     * installing its snapshot when the log was purged — then the change commits by joint consensus. Returns when it
     * committed; fails after {@code timeout}.
     */
    public void changeMembers(String database, List<ClusterMember> members, Duration timeout) throws IOException {
        RaftServer s = server;
        RaftGroupId id = groupId(database);
        if (s == null || !contains(s, id)) {
            throw new IOException("database '" + database + "' has no running Raft group on node " + spec.selfId());
        }
        RaftGroup current = s.getDivision(id).getGroup();
        List<RaftPeer> next = new ArrayList<>();
        for (ClusterMember m : members) {
            next.add(RaftPeer.newBuilder().setId(m.id()).setAddress(m.raftAddress()).build());
        }
        RaftProperties p = new RaftProperties();
        org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(p, ms(timeout.toMillis()));
        try (org.apache.ratis.client.RaftClient client = org.apache.ratis.client.RaftClient.newBuilder()
                .setProperties(p)
                .setRaftGroup(current)
                .setRetryPolicy(org.apache.ratis.retry.RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                        (int) Math.max(1, timeout.toSeconds()), ms(1000)))
                .build()) {
            RaftClientReply reply = client.admin().setConfiguration(next);
            if (!reply.isSuccess()) {
                throw new IOException("changing the members of '" + database + "' to " + members.stream()
                        .map(ClusterMember::id).toList() + " failed: " + reply.getException(), reply.getException());
            }
        }
    }

    /** The members of a database's group as this node's Raft server knows them (empty if not running here). */
    public List<String> groupMembers(String database) {
        RaftServer s = server;
        RaftGroupId id = groupId(database);
        if (s == null || !contains(s, id)) {
            return List.of();
        }
        try {
            return s.getDivision(id).getRaftConf().getCurrentPeers().stream().map(peer -> peer.getId().toString())
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    public ClusterSpec spec() {
        return spec;
    }

    /**
     * Whether this node is a new member waiting to be added to the groups ({@code --join}). While it is, a group it
     * joins starts with the other members only: Ratis then keeps it a follower that never calls an election (a
     * vote request to a group that has not admitted it, or removed it before, can make the group's leader tell
     * it to shut the group down), and the leader's membership change brings it in.
     */
    public void setJoining(boolean joining) {
        this.joining = joining;
    }

    public boolean joining() {
        return joining;
    }

    /** For tests: {@code hook} runs in {@link #start} after the orphan sweep, before the Raft server scans. */
    void afterOrphanSweep(Runnable hook) {
        this.afterOrphanSweep = hook;
    }

    /** For tests: the listener snapshot copies of databases attached from now on report their pages to. */
    void copyListener(dev.blitdb.storage.engine.SnapshotCopy.Listener listener) {
        this.copyListener = listener;
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
        ReplicaGroup group = new ReplicaGroup(database, id, this,
                proposer -> new DatabaseStateMachine(database, store, proposer, snapshots.thresholdEntries(),
                        copyListener));
        if (groups.putIfAbsent(id, group) != null) {
            throw new IllegalStateException("database '" + database + "' is already attached");
        }
        ReplicatedWrites w = new ReplicatedWrites(group, callIds);
        writes.put(id, w);
        attachedIds.put(database.toLowerCase(Locale.ROOT), id);
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
        groups.remove(id);
        attachedIds.remove(database.toLowerCase(Locale.ROOT));
        if (leaveGroup) {
            RaftServer s;
            synchronized (serverPublished) {
                s = server;
                if (s == null) {
                    leaveOnStart.add(id); // a start in progress (or the next one) leaves it and deletes its folder
                }
            }
            if (s != null && contains(s, id)) {
                leave(s, id, database);
            }
        }
    }

    /** Leaves group {@code id} on this node and deletes its Raft folder. */
    private void leave(RaftServer s, RaftGroupId id, String what) {
        try {
            s.groupManagement(GroupManagementRequest.newRemove(adminClient, s.getId(), callIds.incrementAndGet(),
                    id, true, false));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "leaving the group of '" + what + "' failed", e);
        }
    }

    /** The group id of an attached database, without hashing its name; the derived id otherwise. */
    private RaftGroupId attachedId(String database) {
        RaftGroupId id = attachedIds.get(database);
        if (id == null) {
            id = attachedIds.get(database.toLowerCase(Locale.ROOT));
        }
        return id != null ? id : groupId(database);
    }

    /** The group of a database attached here. */
    public java.util.Optional<ReplicaGroup> group(String database) {
        return java.util.Optional.ofNullable(groups.get(attachedId(database)));
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
        afterOrphanSweep.run();
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
        snapshotProperties(p, snapshots);
        overrideProperties(p, System.getProperties());
        RaftGroup empty = RaftGroup.emptyGroup();
        StateMachine.Registry registry = gid -> {
            if (gid.equals(empty.getGroupId())) {
                // The server's own placeholder group (no peers, never elects): Ratis's no-op state machine.
                return new org.apache.ratis.statemachine.impl.BaseStateMachine();
            }
            ReplicaGroup g = groups.get(gid);
            if (g == null) {
                // Its database was dropped after the orphan sweep above (a drop from another node while this one
                // starts): opened with a no-op state machine and left as soon as the server runs.
                leaveOnStart.add(gid);
                return new org.apache.ratis.statemachine.impl.BaseStateMachine();
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
        List<RaftGroupId> dropped;
        synchronized (serverPublished) {
            server = s;
            dropped = List.copyOf(leaveOnStart);
            leaveOnStart.clear();
        }
        for (RaftGroupId id : dropped) {
            if (!groups.containsKey(id) && contains(s, id)) {
                leave(s, id, "group " + id + " (its database was dropped while this node started)");
            }
        }
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
        // Not Ratis's own trigger: it copies on the thread that hands entries over, so applying would wait for the
        // whole copy. The state machine copies in the background every policy.thresholdEntries() entries and then
        // asks Ratis to take the finished copy (snapshotManagement create, gap 1).
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, false);
        RaftServerConfigKeys.Snapshot.setCreationGap(p, 1);
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

    /** Prefix of the system properties {@link #overrideProperties} passes to Ratis. */
    static final String RATIS_PROPERTY_PREFIX = "blitdb.ratis.";

    /**
     * Passes every {@code blitdb.ratis.<ratis key>} in {@code system} to Ratis as {@code <ratis key>}, over this
     * class's settings, e.g. {@code -Dblitdb.ratis.raft.server.log.appender.wait-time.min=5ms}: for measuring a
     * Ratis setting on the same jar (bench/results/cluster.md), not a supported way to configure a node.
     */
    static void overrideProperties(RaftProperties p, java.util.Properties system) {
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith(RATIS_PROPERTY_PREFIX) && name.length() > RATIS_PROPERTY_PREFIX.length()) {
                p.set(name.substring(RATIS_PROPERTY_PREFIX.length()), system.getProperty(name));
            }
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
        List<RaftPeer> peers = peers();
        if (joining) {
            peers = peers.stream().filter(p -> !p.getId().toString().equals(spec.selfId())).toList();
        }
        s.groupManagement(GroupManagementRequest.newAdd(adminClient, s.getId(), callIds.incrementAndGet(),
                RaftGroup.valueOf(id, peers)));
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
        ReplicaGroup g = groups.get(attachedId(database));
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
        ReplicatedWrites w = writes.get(attachedId(database));
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
