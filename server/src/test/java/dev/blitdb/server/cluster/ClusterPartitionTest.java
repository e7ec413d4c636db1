package dev.blitdb.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A network partition: the leader's Raft links (every direction, through {@link LinkProxy}s in this JVM) are cut
 * while writers keep sending to it and a register workload runs. The old leader must acknowledge nothing it cannot
 * have committed, the majority must elect a new leader and keep acknowledging, and after healing every node must
 * hold the same documents with the same change vectors, every acknowledged write among them, and the register's
 * history must be linearizable.
 */
class ClusterPartitionTest extends ClusterTestBase {

    @Override
    ClusterProcesses newCluster(Path root) throws Exception {
        return ClusterProcesses.withProxiedRaft(root, "A", "B", "C");
    }

    /** One write sent straight to a node (no redirect following). */
    private record Attempt(String id, long invokedNanos, int status, String changeVector) {
    }

    /** What node {@code id} itself thinks its role in {@code db} is ("LEADER", "FOLLOWER", "CANDIDATE", ...). */
    private String ownRole(String id, String db) throws Exception {
        HttpResponse<String> r = cluster.get(id, "/cluster/node");
        for (JsonNode d : json(r).path("Databases")) {
            if (d.path("Name").asText().equalsIgnoreCase(db)) {
                return d.path("Role").asText();
            }
        }
        return null;
    }

    /** The leader and term node {@code id} reports for {@code db} in its topology, "" when it knows none. */
    private String leaderSeenBy(String id, String db, long afterTerm) throws Exception {
        JsonNode d = database(json(cluster.get(id, "/cluster/topology")), db);
        if (d == null || d.path("Leader").isNull()) {
            return "";
        }
        String leader = d.path("Leader").asText();
        for (JsonNode m : d.path("Members")) {
            if (m.path("Id").asText().equals(leader) && m.path("Term").asLong() > afterTerm) {
                return leader;
            }
        }
        return "";
    }

    @Test
    void shouldStopTheIsolatedLeaderElectANewOneAndConvergeAfterHealing() throws Exception {
        RegisterWorkload register = new RegisterWorkload(cluster, 3);
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
        AtomicInteger directAcks = new AtomicInteger();
        List<Thread> writers = new ArrayList<>();
        String old;
        long cutNanos;
        try {
            register.awaitWrites("register writes", 10, Duration.ofSeconds(60));
            old = awaitLeader(cluster, "default", Duration.ofSeconds(30));
            long term = leaderTerm();
            // Writers that keep hammering the old leader itself, through the cut and after it.
            for (int t = 0; t < 4; t++) {
                String prefix = "partition/" + t + "/";
                writers.add(Thread.ofPlatform().name("direct-" + t).start(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        long invoked = System.nanoTime();
                        try {
                            var r = cluster.send(old, "PUT", "/databases/default/docs?id=" + prefix + i,
                                    "{\"N\":" + i + "}", noHeaders());
                            String cv = r.statusCode() / 100 == 2 ? json(r).path("ChangeVector").asText() : null;
                            if (cv != null) {
                                directAcks.incrementAndGet();
                            }
                            attempts.add(new Attempt(prefix + i, invoked, r.statusCode(), cv));
                            if (r.statusCode() / 100 != 2) {
                                Thread.sleep(20);
                            }
                        } catch (Exception e) {
                            attempts.add(new Attempt(prefix + i, invoked, 0, null));
                        }
                    }
                }));
            }
            ClusterProcesses.await("writes acknowledged by the leader", Duration.ofSeconds(30),
                    () -> directAcks.get() >= 50);

            cluster.isolate(old);
            cutNanos = System.nanoTime();
            List<String> majority = cluster.nodes.keySet().stream().filter(id -> !id.equals(old)).toList();
            String[] next = new String[1];
            ClusterProcesses.await("a new leader on the majority side", Duration.ofSeconds(20), () -> {
                try {
                    next[0] = leaderSeenBy(majority.getFirst(), "default", term);
                    return majority.contains(next[0]);
                } catch (Exception e) {
                    return false;
                }
            });
            long electedMillis = (System.nanoTime() - cutNanos) / 1_000_000;
            ClusterProcesses.await("the isolated leader stepping down", Duration.ofSeconds(15), () -> {
                try {
                    return !"LEADER".equals(ownRole(old, "default"));
                } catch (Exception e) {
                    return false;
                }
            });
            long steppedDownMillis = (System.nanoTime() - cutNanos) / 1_000_000;
            register.awaitWrites("register writes on the majority side", 10, Duration.ofSeconds(30));
            Thread.sleep(500); // the direct writers meet the deposed leader for a while

            cluster.healAll();
            register.awaitWrites("register writes after healing", 5, Duration.ofSeconds(30));
            System.out.println("partition of " + old + ": " + next[0] + " elected after " + electedMillis
                    + " ms, " + old + " stepped down after " + steppedDownMillis + " ms");
            assertNotEquals(old, next[0]);
        } finally {
            stop.set(true);
            for (Thread w : writers) {
                w.join();
            }
            register.close();
        }

        // The old leader acknowledged nothing that reached it after the cut: it could not have committed it.
        Map<Integer, Integer> afterCut = new TreeMap<>();
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        for (Attempt a : attempts) {
            if (a.invokedNanos() > cutNanos) {
                afterCut.merge(a.status(), 1, Integer::sum);
                assertTrue(a.status() / 100 != 2, "write " + a.id() + " reached the isolated leader after the cut "
                        + "and was acknowledged (" + a.status() + ")\n" + cluster.logs());
            }
            if (a.changeVector() != null) {
                acknowledged.put(a.id(), a.changeVector());
            }
        }
        System.out.println("answers of the isolated leader after the cut (status=count, 0 = no answer): " + afterCut
                + "; " + acknowledged.size() + " acknowledged in all");
        assertTrue(afterCut.keySet().stream().anyMatch(s -> s == 421 || s == 504 || s == 0),
                "the isolated leader was asked after the cut: " + afterCut);
        // Every acknowledged write is committed: on every node with its change vector, and no node diverges.
        assertConvergedWith(acknowledged);
        String violation = register.stopAndCheck();
        assertEquals(null, violation, violation);
    }
}
