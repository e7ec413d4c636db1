package dev.blitdb.cluster.raft;

import dev.blitdb.cluster.topology.ClusterSpec;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.engine.Durability;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Three Raft nodes A, B, C in this JVM on free loopback ports, each with its own {@link DocumentStore} of one
 * replicated database (no sync: the tests are about replication, not the disk), election timeouts of 1–2 s (as the
 * server's cluster tests: a loaded machine's slow heartbeat must not cost the leader its term every time). No
 * snapshot installs: {@link ReplicaStore#replaceWith} throws.
 */
final class ThreeNodeCluster implements AutoCloseable {

    private static final long WAIT_SECONDS = 30;

    final String db;
    final List<RaftNode> nodes = new ArrayList<>();
    final List<DocumentStore> stores = new ArrayList<>();

    /**
     * Opens the stores and nodes under {@code dir} (not started); {@code configure} sees each node before its
     * database is attached (a copy listener, say).
     */
    ThreeNodeCluster(Path dir, String db, SnapshotPolicy snapshots, Consumer<RaftNode> configure) throws IOException {
        this.db = db;
        int[] ports = freePorts(3);
        String cluster = "A=127.0.0.1:1:" + ports[0] + ",B=127.0.0.1:2:" + ports[1] + ",C=127.0.0.1:3:" + ports[2];
        for (String id : List.of("A", "B", "C")) {
            DocumentStore store = DocumentStore.open(dir.resolve(id).resolve(db),
                    StoreOptions.defaults().withDurability(Durability.NO_SYNC).withMinGrowth(1 << 20),
                    MergerOptions.defaults(), RaftNode.databaseId(db));
            stores.add(store);
            RaftNode node = new RaftNode(ClusterSpec.parse(id, cluster), dir.resolve(id).resolve(".raft"),
                    new RaftTimeouts(Duration.ofMillis(1000), Duration.ofMillis(2000)), snapshots);
            nodes.add(node);
            configure.accept(node);
            node.attach(db, new FixedReplicaStore(store));
        }
    }

    ThreeNodeCluster(Path dir, String db) throws IOException {
        this(dir, db, SnapshotPolicy.DEFAULT, node -> { });
    }

    void start() throws IOException {
        for (RaftNode n : nodes) {
            n.start();
        }
    }

    DocumentStore store(RaftNode node) {
        return stores.get(nodes.indexOf(node));
    }

    DatabaseStateMachine stateMachine(RaftNode node) {
        return node.group(db).orElseThrow().stateMachine();
    }

    /** The node that leads the database's group and has committed its term's first entry (so it takes writes). */
    RaftNode awaitLeader() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            for (RaftNode n : nodes) {
                var g = n.group(db).orElseThrow();
                if (g.isLeader() && g.commitIndex() >= 0) {
                    return n;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no leader within " + WAIT_SECONDS + " s");
    }

    /**
     * Runs one write on the current leader. A leader elected at start-up can lose its term to a slow heartbeat on a
     * loaded machine; a write it refuses with {@link NotLeaderException} was never proposed, so sending it to the
     * next leader is safe.
     */
    void onLeader(Function<ReplicatedWrites, CompletableFuture<?>> write) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                write.apply(awaitLeader().writes(db)).get(WAIT_SECONDS, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof NotLeaderException) || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    static void awaitApplied(DatabaseStateMachine sm, long index) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (sm.appliedIndex() < index) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node did not apply index " + index);
            }
            Thread.sleep(20);
        }
    }

    /** Closes the nodes, then the stores. */
    @Override
    public void close() throws Exception {
        for (RaftNode n : nodes) {
            n.close();
        }
        for (DocumentStore s : stores) {
            s.close();
        }
    }

    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                open.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : open) {
                s.close();
            }
        }
        return ports;
    }
}
