package dev.blitdb.cluster.raft;

import dev.blitdb.blittable.BlitWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three Raft nodes in this JVM, snapshots every 10 entries: while every node's snapshot copy is held at its last
 * page, writes are still acknowledged and applied on every node (applying does not wait for the copy); released,
 * each node's copy becomes its group's snapshot at the position it copied, and Ratis takes it (the log can be
 * purged behind it).
 */
class BackgroundSnapshotTest {

    private static final String DB = "snapped";

    @TempDir
    Path dir;

    private ThreeNodeCluster cluster;
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch held = new CountDownLatch(3);

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldGoOnApplyingWhileTheSnapshotIsCopied() throws Exception {
        cluster = new ThreeNodeCluster(dir, DB, new SnapshotPolicy(10, 64 << 10, 0), node -> {
            boolean[] once = {false};
            node.copyListener((done, total) -> {
                if (done == total && !once[0]) { // the end of the first copy: hold it there
                    once[0] = true;
                    held.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
        });
        cluster.start();
        RaftNode leader = cluster.awaitLeader();
        ReplicatedWrites writes = leader.writes(DB);
        BlitWriter blit = new BlitWriter();
        int n = 0;
        for (; n < 12; n++) { // one entry each: past the threshold of 10
            put(writes, blit, n);
        }
        assertTrue(held.await(30, TimeUnit.SECONDS), "every node started its snapshot copy");
        long heldAt = leader.group(DB).orElseThrow().stateMachine().appliedIndex();
        for (; n < 40; n++) { // every one acknowledged while the copies are held
            put(writes, blit, n);
        }
        long applied = leader.group(DB).orElseThrow().stateMachine().appliedIndex();
        assertTrue(applied >= heldAt + 28, "applied " + applied + " while held at " + heldAt);
        for (RaftNode node : cluster.nodes) {
            DatabaseStateMachine sm = node.group(DB).orElseThrow().stateMachine();
            ThreeNodeCluster.awaitApplied(sm, applied);
            assertEquals(-1, sm.snapshotIndex(), "no snapshot before its copy is complete");
            assertEquals(0, sm.snapshotsTaken());
        }

        release.countDown();
        for (RaftNode node : cluster.nodes) {
            DatabaseStateMachine sm = node.group(DB).orElseThrow().stateMachine();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sm.snapshotsTaken() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(sm.snapshotsTaken() >= 1, "the held copy became a snapshot");
            long index = sm.snapshotIndex();
            assertTrue(index >= 10 && index <= heldAt, "snapshot at " + index + ", copy held at " + heldAt);
            assertEquals(index, sm.lastSnapshot().index());
            Path sm0 = dir.resolve(node.spec().selfId()).resolve(".raft");
            try (var files = Files.walk(sm0)) {
                List<String> names = files.map(p -> p.getFileName().toString()).toList();
                assertTrue(names.stream().anyMatch(f -> f.matches("snapshot\\.\\d+_" + index)), names.toString());
                assertTrue(names.stream().anyMatch(f -> f.matches("snapshot\\.\\d+_" + index + "\\.md5")),
                        names.toString());
                assertTrue(names.stream().noneMatch(f -> f.equals("snapshot.ready") || f.equals("snapshot.copying")),
                        names.toString());
            }
        }
        put(writes, blit, n); // still writable after
    }

    private static void put(ReplicatedWrites writes, BlitWriter blit, int i) throws Exception {
        byte[] json = ("{\"N\":" + i + "}").getBytes(StandardCharsets.UTF_8);
        writes.put("items/" + i, MemorySegment.ofArray(blit.convert(json, 0, json.length).toByteArray()), null)
                .get(10, TimeUnit.SECONDS);
    }



}
