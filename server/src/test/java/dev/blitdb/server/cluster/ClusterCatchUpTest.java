package dev.blitdb.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Raft snapshots and catch-up, on one cluster whose nodes snapshot every 100 entries and purge their logs behind
 * (64 KiB segments, nothing kept): a follower that was down while the log moved past the purge point catches up by
 * snapshot install.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterCatchUpTest extends ClusterTestBase {

    static final String DB = "catchup";
    /** About 1 KiB per document: a 64 KiB log segment holds some 60 entries. */
    static final String PADDING = "x".repeat(900);

    @Override
    List<String> nodeArgs() {
        return List.of("--raft-snapshot", "100:64:0");
    }

    /** Node {@code id}'s own view of {@code db} ({@code /cluster/node}). */
    JsonNode nodeView(String id, String db) throws Exception {
        HttpResponse<String> r = cluster.get(id, "/cluster/node");
        assertEquals(200, r.statusCode(), r.body());
        for (JsonNode d : json(r).path("Databases")) {
            if (d.path("Name").asText().equalsIgnoreCase(db)) {
                return d;
            }
        }
        throw new AssertionError("node " + id + " has no database " + db + ": " + r.body());
    }

    void write(String id, int n) throws Exception {
        HttpResponse<String> r = writeToLeader(cluster, DB, "PUT", "/databases/" + DB + "/docs?id=" + id,
                "{\"N\":" + n + ",\"Pad\":\"" + PADDING + "\",\"@metadata\":{\"@collection\":\"Items\"}}");
        assertEquals(201, r.statusCode(), r.body() + cluster.logs());
    }

    void assertSameContents(String db) throws Exception {
        String leader = awaitLeader(cluster, db, Duration.ofSeconds(30));
        List<String> reference = contents(cluster, leader, db);
        for (String id : cluster.nodes.keySet()) {
            if (cluster.running(id)) {
                assertEquals(reference, contents(cluster, id, db), "node " + id + " differs from the leader "
                        + leader + " (bytes and change vectors)");
            }
        }
    }

    @Test
    @Order(1)
    void aFollowerBehindThePurgedLogCatchesUpBySnapshotInstall() throws Exception {
        HttpResponse<String> created = cluster.send("A", "PUT", "/admin/databases?name=" + DB, null, noHeaders());
        assertEquals(201, created.statusCode(), created.body());
        for (int i = 0; i < 30; i++) {
            write("items/" + i, i);
        }
        awaitConverged(cluster, DB, Duration.ofSeconds(30));
        String leader = awaitLeader(cluster, DB, Duration.ofSeconds(30));
        String follower = cluster.nodes.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        long followerApplied = nodeView(follower, DB).path("AppliedIndex").asLong();
        cluster.stop(follower);

        // Past several snapshots and purges: the entries after the follower's position are gone from the log.
        for (int i = 30; i < 400; i++) {
            write("items/" + i, i);
        }
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> d = writeToLeader(cluster, DB, "DELETE", "/databases/" + DB + "/docs?id=items/" + i,
                    null);
            assertEquals(204, d.statusCode(), d.body());
        }
        String now = awaitLeader(cluster, DB, Duration.ofSeconds(30));
        ClusterProcesses.await("the leader's log purged past the stopped follower", Duration.ofSeconds(30), () -> {
            try {
                JsonNode v = nodeView(now, DB);
                return v.path("LogStartIndex").asLong() > followerApplied + 1 && v.path("SnapshotIndex").asLong() > 0;
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue(nodeView(now, DB).path("SnapshotsTaken").asLong() >= 1);

        cluster.start(follower);
        awaitConverged(cluster, DB, Duration.ofSeconds(60));
        JsonNode caughtUp = nodeView(follower, DB);
        assertTrue(caughtUp.path("SnapshotsInstalled").asLong() >= 1,
                "the follower caught up without a snapshot install: " + caughtUp + cluster.logs());
        assertSameContents(DB);
        HttpResponse<String> gone = cluster.get(follower, "/databases/" + DB + "/docs?id=items/3");
        assertEquals(404, gone.statusCode(), gone.body());
        HttpResponse<String> last = cluster.get(follower, "/databases/" + DB + "/docs?id=items/399");
        assertEquals(200, last.statusCode(), last.body());

        // It applies the log tail after the snapshot like any follower.
        write("items/after-install", 1);
        awaitConverged(cluster, DB, Duration.ofSeconds(30));
        assertSameContents(DB);
    }
}
