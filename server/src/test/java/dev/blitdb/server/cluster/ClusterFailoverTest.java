package dev.blitdb.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crashes under load, on one three-JVM cluster: kill -9 of the leader under 64 concurrent writers (no acknowledged
 * write lost, a new leader acknowledges within 5 s, the killed node catches up to identical contents), then kill -9
 * of a follower (writes go on; it catches up after its restart).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverTest extends ClusterTestBase {

    /** Every acknowledged write is on every node with its acknowledged change vector; all nodes hold the same. */
    private void assertConvergedWith(Map<String, String> acknowledged) throws Exception {
        awaitConverged(cluster, "default", Duration.ofSeconds(60));
        List<String> reference = null;
        for (String id : cluster.nodes.keySet()) {
            List<String> docs = contents(cluster, id, "default");
            Map<String, String> cvs = new HashMap<>();
            for (String d : docs) {
                JsonNode meta = JSON.readTree(d).path("@metadata");
                cvs.put(meta.path("@id").asText(), meta.path("@change-vector").asText());
            }
            for (var e : acknowledged.entrySet()) {
                assertEquals(e.getValue(), cvs.get(e.getKey()), "acknowledged write " + e.getKey() + " on node " + id
                        + "\n" + cluster.logs());
            }
            if (reference == null) {
                reference = docs;
            } else {
                assertEquals(reference, docs, "node " + id + " differs");
            }
        }
    }

    private long leaderTerm() {
        JsonNode d = database(topology(cluster), "default");
        long term = 0;
        for (JsonNode m : d.path("Members")) {
            if ("LEADER".equals(m.path("Role").asText())) {
                term = Math.max(term, m.path("Term").asLong());
            }
        }
        return term;
    }

    @Test
    @Order(1)
    void shouldLoseNoAcknowledgedWriteWhenTheLeaderIsKilledUnderLoad() throws Exception {
        long failoverMillis;
        Map<String, String> acknowledged;
        String leader;
        try (LoadUnderFailure load = new LoadUnderFailure(cluster, "default", "leaderkill", 64)) {
            load.awaitAcks(300, Duration.ofSeconds(60));
            // The leader now, as the writers see it: the node acknowledging their writes.
            leader = load.currentTarget();
            long term = leaderTerm();
            cluster.kill(leader);
            load.mark();
            failoverMillis = load.millisToFirstAckAfterMark(Duration.ofSeconds(30));
            load.awaitAcks(200, Duration.ofSeconds(30));
            acknowledged = Map.copyOf(load.acknowledged);
            String next = awaitLeader(cluster, "default", Duration.ofSeconds(30));
            assertTrue(!next.equals(leader) && leaderTerm() > term, "a new leader (" + next + ") in a later term");
            System.out.println("leader kill: first acknowledged write on the new leader after " + failoverMillis
                    + " ms; " + acknowledged.size() + " acknowledged, " + load.unknown.size() + " unknown\n" + cluster.logs());
        }
        assertTrue(failoverMillis < 5_000, "fail-over took " + failoverMillis + " ms\n" + cluster.logs());
        cluster.start(leader);
        assertConvergedWith(acknowledged);
    }

    @Test
    @Order(2)
    void shouldKeepWritingWhenAFollowerIsKilledAndCatchItUpAfterItsRestart() throws Exception {
        String leader = awaitLeader(cluster, "default", Duration.ofSeconds(30));
        String follower = cluster.nodes.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        Map<String, String> acknowledged;
        try (LoadUnderFailure load = new LoadUnderFailure(cluster, "default", "followerkill", 32)) {
            load.awaitAcks(200, Duration.ofSeconds(60));
            cluster.kill(follower);
            load.mark();
            long millis = load.millisToFirstAckAfterMark(Duration.ofSeconds(10));
            assertTrue(millis < 2_000, "writes stalled " + millis + " ms after a follower died");
            load.awaitAcks(300, Duration.ofSeconds(30));
            cluster.start(follower);
            load.awaitAcks(100, Duration.ofSeconds(30));
            acknowledged = Map.copyOf(load.acknowledged);
        }
        assertConvergedWith(acknowledged);
    }

    /**
     * A register workload — linearizable reads on any node, compare-and-set writes (If-Match on the change vector
     * read) on the leader, four clients — with the leader killed with -9 in the middle and restarted; the history
     * must be linearizable ({@link RegisterHistory}).
     */
    @Test
    @Order(3)
    void shouldKeepARegisterLinearizableThroughALeaderKill() throws Exception {
        RegisterHistory history = new RegisterHistory();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<Thread> clients = new java.util.ArrayList<>();
        String path = "/databases/default/docs?id=register/1";
        for (int c = 0; c < 4; c++) {
            int client = c;
            clients.add(Thread.ofPlatform().start(() -> {
                java.util.List<String> ids = new java.util.ArrayList<>(cluster.nodes.keySet());
                java.util.Random random = new java.util.Random(client);
                String writeTo = ids.get(client % ids.size());
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                for (int n = 0; !stop.get() && System.nanoTime() < deadline; n++) {
                    String readFrom = ids.get(random.nextInt(ids.size()));
                    if (!cluster.running(readFrom)) {
                        continue;
                    }
                    String value;
                    String cv;
                    long t0 = System.nanoTime();
                    try {
                        var r = cluster.get(readFrom, path + "&consistency=linearizable");
                        long t1 = System.nanoTime();
                        if (r.statusCode() == 404) {
                            value = null;
                            cv = "";
                        } else if (r.statusCode() == 200) {
                            JsonNode doc = json(r);
                            value = doc.path("V").asText();
                            cv = doc.path("@metadata").path("@change-vector").asText();
                        } else {
                            continue; // no answer from the register: no constraint
                        }
                        history.add(RegisterHistory.Kind.READ, null, value, RegisterHistory.Outcome.OK, t0, t1);
                    } catch (Exception e) {
                        continue;
                    }
                    String next = client + "-" + n;
                    if (!cluster.running(writeTo)) {
                        writeTo = ids.get((ids.indexOf(writeTo) + 1) % ids.size());
                        continue;
                    }
                    long w0 = System.nanoTime();
                    RegisterHistory.Outcome outcome;
                    try {
                        var r = cluster.send(writeTo, "PUT", path, "{\"V\":\"" + next + "\"}", Map.of("If-Match",
                                cv.isEmpty() ? "\"\"" : "\"" + cv + "\""));
                        if (r.statusCode() == 421) {
                            String leader = json(r).path("LeaderId").asText(null);
                            writeTo = leader != null && cluster.running(leader) ? leader
                                    : ids.get((ids.indexOf(writeTo) + 1) % ids.size());
                            continue; // refused before proposing: no effect
                        }
                        outcome = switch (r.statusCode()) {
                            case 201 -> RegisterHistory.Outcome.OK;
                            case 409 -> RegisterHistory.Outcome.FAILED;
                            default -> RegisterHistory.Outcome.UNKNOWN;
                        };
                    } catch (Exception e) {
                        outcome = RegisterHistory.Outcome.UNKNOWN;
                    }
                    history.add(RegisterHistory.Kind.CAS, value, next, outcome, w0, System.nanoTime());
                    if (outcome == RegisterHistory.Outcome.OK) {
                        writes.incrementAndGet();
                    }
                }
            }));
        }
        ClusterProcesses.await("register writes", Duration.ofSeconds(60), () -> writes.get() >= 20);
        String leader = awaitLeader(cluster, "default", Duration.ofSeconds(30));
        long term = leaderTerm();
        cluster.kill(leader);
        int before = writes.get();
        ClusterProcesses.await("register writes after the kill", Duration.ofSeconds(30), () -> writes.get() >= before + 20);
        assertTrue(leaderTerm() > term, "the killed node led the register's database");
        cluster.start(leader);
        int after = writes.get();
        ClusterProcesses.await("register writes after the restart", Duration.ofSeconds(30), () -> writes.get() >= after + 10);
        stop.set(true);
        for (Thread t : clients) {
            t.join();
        }
        System.out.println("register history: " + history.ops().size() + " operations, " + writes.get()
                + " successful CAS");
        String violation = history.check();
        assertEquals(null, violation, violation);
    }
}
