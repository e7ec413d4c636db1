package dev.blitdb.cluster.raft;

import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.StoredDocument;
import dev.blitdb.storage.documents.Tombstone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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

    private ThreeNodeCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldPurgeTheSameTombstonesOnEveryReplica() throws Exception {
        cluster = new ThreeNodeCluster(dir, DB);
        cluster.start();
        // The proposer submits straight to the group's division (no client-pool hop): every write below takes it.
        assertTrue(cluster.awaitLeader().group(DB).orElseThrow().submitsDirectly());
        BlitWriter blit = new BlitWriter();
        for (int i = 0; i < 20; i++) {
            byte[] json = ("{\"N\":" + i + ",\"@metadata\":{\"@collection\":\"Items\"}}").getBytes(StandardCharsets.UTF_8);
            byte[] doc = blit.convert(json, 0, json.length).toByteArray();
            String id = "items/" + i;
            cluster.onLeader(w -> w.put(id, MemorySegment.ofArray(doc), null));
        }
        for (int i = 0; i < 20; i += 2) {
            String id = "items/" + i;
            cluster.onLeader(w -> w.delete(id, null));
        }
        RaftNode leader = cluster.awaitLeader();
        long sixthTombstone;
        try (DocumentReader r = cluster.store(leader).beginRead()) {
            List<Tombstone> all = r.tombstones(0, null, 100);
            assertEquals(10, all.size());
            sixthTombstone = all.get(5).etag();
        }

        assertFollowerRefusesAPurge();

        // Up to the sixth tombstone's etag, at most four: the first four go, on every node.
        RaftNode purgedBy = purgeOnLeader(sixthTombstone, 4);
        long applied = purgedBy.group(DB).orElseThrow().stateMachine().appliedIndex();
        for (RaftNode n : cluster.nodes) {
            ThreeNodeCluster.awaitApplied(cluster.stateMachine(n), applied);
        }
        List<Tombstone> expected;
        long purgedTo;
        try (DocumentReader r = cluster.store(purgedBy).beginRead()) {
            expected = r.tombstones(0, null, 100);
            purgedTo = r.purgedTombstonesTo();
        }
        assertTrue(purgedTo > 0 && purgedTo < sixthTombstone, "the highest purged etag: " + purgedTo);
        assertEquals(6, expected.size());
        for (DocumentStore s : cluster.stores) {
            try (DocumentReader r = s.beginRead()) {
                assertEquals(expected, r.tombstones(0, null, 100), "tombstones after the purge");
                assertEquals(purgedTo, r.purgedTombstonesTo(), "the incremental-backup guard's mark");
                assertEquals(10, r.documentCount());
                StoredDocument d = new StoredDocument();
                for (int i = 1; i < 20; i += 2) {
                    assertTrue(r.get("items/" + i, d), "items/" + i);
                    assertEquals(documentBytes(cluster.store(leader), "items/" + i),
                            java.util.Arrays.toString(d.record().toArray(ValueLayout.JAVA_BYTE)));
                }
            }
            assertEquals(applied, s.appliedLogPosition().index(), "the purge committed with its log index");
        }
    }

    /**
     * A follower refuses a purge: it is for the leader to propose. Asked with a bound no tombstone is under, so a
     * node that won an election meanwhile (a loaded machine's slow heartbeat) purges nothing and another is asked.
     */
    private void assertFollowerRefusesAPurge() throws Exception {
        for (int attempt = 1; ; attempt++) {
            RaftNode leader = cluster.awaitLeader();
            RaftNode follower = cluster.nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
            try {
                long purged = follower.writes(DB).purgeTombstones(0, 100).get(10, TimeUnit.SECONDS);
                assertEquals(0L, purged, "a purge below every tombstone");
                assertTrue(attempt < 5, "every node asked as a follower turned out to lead");
            } catch (java.util.concurrent.ExecutionException refused) {
                assertTrue(refused.getCause() instanceof NotLeaderException, refused.getCause().toString());
                return;
            }
        }
    }

    /**
     * Purges on the leader, asking the next one when the leader lost its term first (refused with
     * {@link NotLeaderException}: never proposed, so asking again is safe); returns the node that purged.
     */
    private RaftNode purgeOnLeader(long upToEtag, int max) throws Exception {
        for (int attempt = 1; ; attempt++) {
            RaftNode leader = cluster.awaitLeader();
            try {
                assertEquals(max, leader.writes(DB).purgeTombstones(upToEtag, max).get(30, TimeUnit.SECONDS));
                return leader;
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof NotLeaderException) || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static String documentBytes(DocumentStore s, String id) {
        try (DocumentReader r = s.beginRead()) {
            StoredDocument d = new StoredDocument();
            assertTrue(r.get(id, d), id);
            return java.util.Arrays.toString(d.record().toArray(ValueLayout.JAVA_BYTE));
        }
    }




}
