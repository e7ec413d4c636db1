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
 * (64 KiB segments, nothing kept), in order: a follower that was down while the log moved past the purge point
 * catches up by snapshot install; a fourth node added under write load installs a snapshot and catches up;
 * removing a node (the leader) keeps the group writable; a removal that would leave no majority is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterCatchUpTest extends ClusterTestBase {

    static final String DB = "catchup";
    /** About 1 KiB per document, incompressible (blittable compresses long repetitive strings): a 64 KiB log segment holds some 60 entries. */
    static String padding(int n) {
        java.util.Random random = new java.util.Random(n);
        StringBuilder b = new StringBuilder(900);
        while (b.length() < 900) {
            b.append(Long.toHexString(random.nextLong()));
        }
        return b.substring(0, 900);
    }
    /** A membership change waits for every database group to commit it (a new node catching up first). */
    static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(120);

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
                "{\"N\":" + n + ",\"Pad\":\"" + padding(n) + "\",\"@metadata\":{\"@collection\":\"Items\"}}");
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
        for (int i = 30; i < 260; i++) {
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
        HttpResponse<String> last = cluster.get(follower, "/databases/" + DB + "/docs?id=items/259");
        assertEquals(200, last.statusCode(), last.body());

        // It applies the log tail after the snapshot like any follower.
        write("items/after-install", 1);
        awaitConverged(cluster, DB, Duration.ofSeconds(30));
        assertSameContents(DB);
    }

    @Test
    @Order(2)
    void aFourthNodeAddedUnderWriteLoadInstallsASnapshotAndCatchesUp() throws Exception {
        ClusterProcesses.Node d = cluster.addNode("D");
        cluster.start("D", List.of("--join"));
        String body = "{\"Id\":\"D\",\"Url\":\"" + d.url() + "\",\"RaftAddress\":\"127.0.0.1:" + d.raftPort() + "\"}";
        HttpResponse<String> added;
        try (LoadUnderFailure load = new LoadUnderFailure(cluster, DB, "load", 4)) {
            load.awaitAcks(40, Duration.ofSeconds(30));
            added = cluster.send("B", "PUT", "/admin/cluster/nodes", body, noHeaders(), ADMIN_TIMEOUT);
            assertEquals(200, added.statusCode(), added.body() + cluster.logs());
            load.awaitAcks(40, Duration.ofSeconds(30)); // the group stays writable with its fourth member
        }
        JsonNode answer = json(added);
        assertEquals("Done", answer.path("Databases").path(DB).asText(), added.body());
        assertEquals("Done", answer.path("Databases").path("default").asText(), added.body());
        assertEquals("Joined", answer.path("Nodes").path("D").asText(), added.body());
        assertTrue(answer.path("Members").asText().contains("D=127.0.0.1:" + d.httpPort() + ":" + d.raftPort()),
                added.body());
        awaitConverged(cluster, DB, Duration.ofSeconds(60));
        JsonNode onD = nodeView("D", DB);
        assertEquals("FOLLOWER", onD.path("Role").asText(), onD.toString());
        assertTrue(onD.path("SnapshotsInstalled").asLong() >= 1,
                "node D caught up without a snapshot install: " + onD + cluster.logs());
        assertSameContents(DB);
        JsonNode topology = topology(cluster);
        assertEquals(4, topology.path("Nodes").size(), topology.toString());
        assertEquals(4, database(topology, DB).path("Members").size(), topology.toString());

        // Adding it again is refused; so is another node on its address, and a body without the fields.
        HttpResponse<String> again = cluster.send("A", "PUT", "/admin/cluster/nodes", body, noHeaders());
        assertEquals(409, again.statusCode(), again.body());
        assertEquals("Conflict", json(again).path("Type").asText(), again.body());
        HttpResponse<String> sameAddress = cluster.send("A", "PUT", "/admin/cluster/nodes",
                body.replace("\"Id\":\"D\"", "\"Id\":\"E\""), noHeaders());
        assertEquals(409, sameAddress.statusCode(), sameAddress.body());
        assertTrue(json(sameAddress).path("Message").asText().contains("address of member D"), sameAddress.body());
        HttpResponse<String> missing = cluster.send("A", "PUT", "/admin/cluster/nodes", "{\"Id\":\"E\"}", noHeaders());
        assertEquals(400, missing.statusCode(), missing.body());
        assertTrue(json(missing).path("Message").asText().contains("'Url'"), missing.body());
    }

    @Test
    @Order(3)
    void removingANodeKeepsTheGroupWritable() throws Exception {
        HttpResponse<String> unknown = cluster.send("A", "DELETE", "/admin/cluster/nodes?id=Z", null, noHeaders());
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertEquals("NotFound", json(unknown).path("Type").asText(), unknown.body());

        // Remove the leader of the database, through another node: the others elect a new one and go on.
        String leader = awaitLeader(cluster, DB, Duration.ofSeconds(30));
        String via = cluster.nodes.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        HttpResponse<String> removed = cluster.send(via, "DELETE", "/admin/cluster/nodes?id=" + leader, null,
                noHeaders(), ADMIN_TIMEOUT);
        assertEquals(200, removed.statusCode(), removed.body() + cluster.logs());
        assertEquals("Left", json(removed).path("Nodes").path(leader).asText(), removed.body());
        cluster.stop(leader); // it left: a cluster of one now, its replicas dropped
        for (int i = 0; i < 20; i++) {
            write("after-removal/" + i, i);
        }
        awaitConverged(cluster, DB, Duration.ofSeconds(60));
        assertSameContents(DB);
        JsonNode topology = topology(cluster);
        assertEquals(3, topology.path("Nodes").size(), topology.toString());
        for (JsonNode m : database(topology, DB).path("Members")) {
            assertTrue(!m.path("Id").asText().equals(leader), topology.toString());
        }
    }

    @Test
    @Order(4)
    void aRemovalThatWouldLeaveNoMajorityIsRefused() throws Exception {
        List<String> members = cluster.nodes.keySet().stream().filter(cluster::running).toList();
        assertEquals(3, members.size(), members.toString());
        String down = members.get(0);
        String target = members.get(1);
        String via = members.get(2);
        cluster.stop(down);
        HttpResponse<String> refused = cluster.send(via, "DELETE", "/admin/cluster/nodes?id=" + target, null,
                noHeaders());
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(json(refused).path("Message").asText().contains("no majority"), refused.body());
        // Nothing changed: the database is still writable by the two that answer.
        write("after-refusal", 1);
        cluster.start(down);
        awaitConverged(cluster, DB, Duration.ofSeconds(60));
        assertSameContents(DB);
    }
}
