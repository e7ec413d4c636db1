package dev.blitdb.cluster.raft;

import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.cluster.topology.ClusterSpec;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.StoredDocument;
import dev.blitdb.storage.documents.Tombstone;
import dev.blitdb.storage.engine.Durability;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three Raft nodes in this JVM on loopback ports, one replicated database: a tombstone purge proposed on the leader
 * goes through the log, so every replica removes the same tombstones at the same log index and keeps the same
 * documents; a follower refuses it (it would otherwise purge alone and diverge).
 */
class ReplicatedPurgeTest {

    private static final String DB = "purged";

    @TempDir
    Path dir;

    private final List<RaftNode> nodes = new ArrayList<>();
    private final List<DocumentStore> stores = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (RaftNode n : nodes) {
            n.close();
        }
        for (DocumentStore s : stores) {
            s.close();
        }
    }

    @Test
    void shouldPurgeTheSameTombstonesOnEveryReplica() throws Exception {
        int[] ports = freePorts(3);
        String cluster = "A=127.0.0.1:1:" + ports[0] + ",B=127.0.0.1:2:" + ports[1] + ",C=127.0.0.1:3:" + ports[2];
        for (String id : List.of("A", "B", "C")) {
            DocumentStore store = DocumentStore.open(dir.resolve(id).resolve(DB),
                    StoreOptions.defaults().withDurability(Durability.NO_SYNC).withMinGrowth(1 << 20),
                    MergerOptions.defaults(), RaftNode.databaseId(DB));
            stores.add(store);
            RaftNode node = new RaftNode(ClusterSpec.parse(id, cluster), dir.resolve(id).resolve(".raft"),
                    new RaftTimeouts(Duration.ofMillis(1000), Duration.ofMillis(2000)));
            node.attach(DB, new ReplicaStore() {
                @Override
                public DocumentStore current() {
                    return store;
                }

                @Override
                public void replaceWith(Path snapshot) {
                    throw new UnsupportedOperationException("no snapshot install in this test");
                }
            });
            nodes.add(node);
        }
        for (RaftNode n : nodes) {
            n.start();
        }
        BlitWriter blit = new BlitWriter();
        for (int i = 0; i < 20; i++) {
            byte[] json = ("{\"N\":" + i + ",\"@metadata\":{\"@collection\":\"Items\"}}").getBytes(StandardCharsets.UTF_8);
            byte[] doc = blit.convert(json, 0, json.length).toByteArray();
            String id = "items/" + i;
            onLeader(w -> w.put(id, MemorySegment.ofArray(doc), null));
        }
        for (int i = 0; i < 20; i += 2) {
            String id = "items/" + i;
            onLeader(w -> w.delete(id, null));
        }
        RaftNode leader = awaitLeader();
        ReplicatedWrites writes = leader.writes(DB);
        long sixthTombstone;
        try (DocumentReader r = store(leader).beginRead()) {
            List<Tombstone> all = r.tombstones(0, null, 100);
            assertEquals(10, all.size());
            sixthTombstone = all.get(5).etag();
        }

        RaftNode follower = nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
        var refused = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> follower.writes(DB).purgeTombstones(Long.MAX_VALUE, 100).get(10, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof NotLeaderException, refused.getCause().toString());

        // Up to the sixth tombstone's etag, at most four: the first four go, on every node.
        assertEquals(4L, writes.purgeTombstones(sixthTombstone, 4).get(30, TimeUnit.SECONDS));
        long applied = leader.group(DB).orElseThrow().stateMachine().appliedIndex();
        for (RaftNode n : nodes) {
            awaitApplied(n, applied);
        }
        List<Tombstone> expected;
        long purgedTo;
        try (DocumentReader r = store(leader).beginRead()) {
            expected = r.tombstones(0, null, 100);
            purgedTo = r.purgedTombstonesTo();
        }
        assertTrue(purgedTo > 0 && purgedTo < sixthTombstone, "the highest purged etag: " + purgedTo);
        assertEquals(6, expected.size());
        for (DocumentStore s : stores) {
            try (DocumentReader r = s.beginRead()) {
                assertEquals(expected, r.tombstones(0, null, 100), "tombstones after the purge");
                assertEquals(purgedTo, r.purgedTombstonesTo(), "the incremental-backup guard's mark");
                assertEquals(10, r.documentCount());
                StoredDocument d = new StoredDocument();
                for (int i = 1; i < 20; i += 2) {
                    assertTrue(r.get("items/" + i, d), "items/" + i);
                    assertEquals(documentBytes(store(leader), "items/" + i),
                            java.util.Arrays.toString(d.record().toArray(ValueLayout.JAVA_BYTE)));
                }
            }
            assertEquals(applied, s.appliedLogPosition().index(), "the purge committed with its log index");
        }
    }

    private static String documentBytes(DocumentStore s, String id) {
        try (DocumentReader r = s.beginRead()) {
            StoredDocument d = new StoredDocument();
            assertTrue(r.get(id, d), id);
            return java.util.Arrays.toString(d.record().toArray(ValueLayout.JAVA_BYTE));
        }
    }

    private DocumentStore store(RaftNode node) {
        return stores.get(nodes.indexOf(node));
    }

    /**
     * Runs one write on the current leader. A leader elected at start-up can lose its term to a slow heartbeat on a
     * loaded machine; a write it refuses with {@link NotLeaderException} was never proposed, so sending it to the
     * next leader is safe.
     */
    private void onLeader(java.util.function.Function<ReplicatedWrites, CompletableFuture<?>> write) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                write.apply(awaitLeader().writes(DB)).get(30, TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof NotLeaderException) || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private RaftNode awaitLeader() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (RaftNode n : nodes) {
                var g = n.group(DB).orElseThrow();
                // The leader's first entry of its term (index 0 here) must be committed before it takes writes.
                if (g.isLeader() && g.commitIndex() >= 0) {
                    return n;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no leader within 30 s");
    }

    private static void awaitApplied(RaftNode n, long index) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (n.group(DB).orElseThrow().stateMachine().appliedIndex() < index) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node did not apply index " + index);
            }
            Thread.sleep(20);
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
