package dev.blitdb.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One three-node cluster (A, B, C) per test class, started before its first test and stopped after its last, and
 * helpers over a {@link ClusterProcesses}: who leads, waiting for convergence, reading a node's whole contents.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterTestBase {

    @TempDir
    static Path tmp;

    ClusterProcesses cluster;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = newCluster(tmp);
        cluster.startAll();
        // Every node answering in the default group's Raft traffic before the first test: on a loaded machine the
        // nodes come up seconds apart, and a test should not start while their links are still being retried.
        awaitConverged(cluster, "default", Duration.ofSeconds(120));
    }

    /** The cluster this class runs against (three nodes on loopback; a subclass may route or secure it). */
    ClusterProcesses newCluster(Path root) throws Exception {
        return new ClusterProcesses(root, nodeArgs(), "A", "B", "C");
    }

    /** More server flags for every node of this class's cluster. */
    List<String> nodeArgs() {
        return List.of();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            String keep = System.getenv("BLITDB_TEST_LOGS");
            if (keep != null) {
                cluster.copyLogs(Path.of(keep, getClass().getSimpleName()));
            }
            cluster.close();
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    /** The topology as a running node reports it, or null when none answers. */
    static JsonNode topology(ClusterProcesses c) {
        for (String id : c.nodes.keySet()) {
            if (!c.running(id)) {
                continue;
            }
            try {
                HttpResponse<String> r = c.get(id, "/cluster/topology");
                if (r.statusCode() == 200) {
                    return json(r);
                }
            } catch (Exception e) {
                // try the next node
            }
        }
        return null;
    }

    static JsonNode database(JsonNode topology, String db) {
        for (JsonNode d : topology.path("Databases")) {
            if (d.path("Name").asText().equalsIgnoreCase(db)) {
                return d;
            }
        }
        return null;
    }

    /** Waits until a running node leads {@code db} and returns its id. */
    static String awaitLeader(ClusterProcesses c, String db, Duration timeout) throws InterruptedException {
        String[] leader = new String[1];
        JsonNode[] last = new JsonNode[1];
        try {
            awaitLeaderOnce(c, db, timeout, leader, last);
        } catch (AssertionError e) {
            // What the nodes last said of the group (its members, roles and terms): a timeout alone says nothing.
            throw new AssertionError(e.getMessage() + "; running here: " + c.nodes.keySet().stream()
                    .filter(c::running).toList() + "; last topology: " + last[0], e);
        }
        return leader[0];
    }

    private static void awaitLeaderOnce(ClusterProcesses c, String db, Duration timeout, String[] leader,
                                        JsonNode[] last) throws InterruptedException {
        ClusterProcesses.await("a leader of '" + db + "'", timeout, () -> {
            JsonNode t = topology(c);
            last[0] = t;
            JsonNode d = t == null ? null : database(t, db);
            if (d == null || d.path("Leader").isNull() || d.path("Leader").isMissingNode()) {
                return false;
            }
            leader[0] = d.path("Leader").asText();
            return c.running(leader[0]);
        });
    }

    /** Waits until every running node has applied the same index of {@code db}, and that index is the leader's. */
    static void awaitConverged(ClusterProcesses c, String db, Duration timeout) throws InterruptedException {
        JsonNode[] last = new JsonNode[1];
        try {
            awaitSameAppliedIndex(c, db, timeout, last);
        } catch (AssertionError e) {
            // What each node last reported, and the nodes' logs: a timeout alone does not say who lagged or why.
            throw new AssertionError(e.getMessage() + "; last topology: " + last[0] + "\n" + c.logs(), e);
        }
    }

    private static void awaitSameAppliedIndex(ClusterProcesses c, String db, Duration timeout, JsonNode[] last)
            throws InterruptedException {
        ClusterProcesses.await("every node applying the same index of '" + db + "'", timeout, () -> {
            JsonNode t = topology(c);
            last[0] = t;
            JsonNode d = t == null ? null : database(t, db);
            if (d == null || d.path("Leader").isNull()) {
                return false;
            }
            long running = c.nodes.keySet().stream().filter(c::running).count();
            if (d.path("Members").size() != running) {
                return false;
            }
            long first = -1;
            for (JsonNode m : d.path("Members")) {
                long applied = m.path("AppliedIndex").asLong();
                if (first < 0) {
                    first = applied;
                } else if (applied != first) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Every document of {@code db} on node {@code id}, in write order, as the node's JSON pages. */
    static List<String> contents(ClusterProcesses c, String id, String db) throws Exception {
        List<String> pages = new ArrayList<>();
        for (int start = 0; ; start += 1024) {
            HttpResponse<String> r = c.get(id, "/databases/" + db + "/docs?start=" + start + "&pageSize=1024");
            assertEquals(200, r.statusCode(), r.body());
            JsonNode results = json(r).path("Results");
            for (JsonNode doc : results) {
                pages.add(doc.toString());
            }
            if (results.size() < 1024) {
                return pages;
            }
        }
    }

    /**
     * Sends a write to the leader of {@code db}, following 421 answers (to the named leader, or after a new look at
     * the topology while an election runs) and repeating a PUT or DELETE whose outcome is unknown, for up to 30 s, as
     * a client does. Returns the first other answer.
     */
    static HttpResponse<String> writeToLeader(ClusterProcesses c, String db, String method, String path, String body)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String target = awaitLeader(c, db, Duration.ofSeconds(30));
        for (; ; ) {
            HttpResponse<String> r = c.send(target, method, path, body, noHeaders());
            // A PUT or DELETE by id whose outcome is unknown (the leader lost its term under a loaded machine before
            // the entry was known committed: 504 WriteOutcomeUnknown) is repeated, as a client may repeat an
            // idempotent write; anything else with an unknown outcome (hi-lo) is returned to the test as it is.
            boolean idempotent = method.equals("PUT") || method.equals("DELETE");
            boolean unknownOutcome = r.statusCode() == 504 && idempotent;
            if ((r.statusCode() != 421 && !unknownOutcome) || System.nanoTime() > deadline) {
                return r;
            }
            if (unknownOutcome) {
                Thread.sleep(200);
                target = awaitLeader(c, db, Duration.ofSeconds(30));
                continue;
            }
            String named = json(r).path("LeaderId").asText(null);
            if (named != null && c.running(named)) {
                target = named;
            } else {
                Thread.sleep(200);
                target = awaitLeader(c, db, Duration.ofSeconds(30));
            }
        }
    }

    /** Every acknowledged write is on every node with its acknowledged change vector; all nodes hold the same. */
    void assertConvergedWith(Map<String, String> acknowledged) throws Exception {
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

    /** The highest term a member reports leading {@code default} in, as a running node sees it; 0 when none says. */
    long leaderTerm() {
        JsonNode t = topology(cluster);
        JsonNode d = t == null ? null : database(t, "default");
        if (d == null) {
            return 0;
        }
        long term = 0;
        for (JsonNode m : d.path("Members")) {
            if ("LEADER".equals(m.path("Role").asText())) {
                term = Math.max(term, m.path("Term").asLong());
            }
        }
        return term;
    }

    static Map<String, String> noHeaders() {
        return Map.of();
    }
}
