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
import static dev.blitdb.server.cluster.ClusterProcesses.electionTimeoutMax;
import static dev.blitdb.server.cluster.ClusterProcesses.electionTimeoutMin;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crashes under load, on one three-JVM cluster: kill -9 of the leader under 64 concurrent writers (no acknowledged
 * write lost, a new leader acknowledges within two election timeouts plus what a write costs on the machine at that
 * moment — about 5 s when quiet — and the killed node catches up to identical contents), then kill -9 of a follower
 * (writes go on within one election timeout plus that write cost; it catches up after its restart).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverTest extends ClusterTestBase {

    @Test
    @Order(1)
    void shouldLoseNoAcknowledgedWriteWhenTheLeaderIsKilledUnderLoad() throws Exception {
        long failoverMillis;
        long failoverBound;
        Map<String, String> acknowledged;
        String leader;
        try (LoadUnderFailure load = new LoadUnderFailure(cluster, "default", "leaderkill", 64)) {
            load.awaitAcks(300, Duration.ofSeconds(60));
            // The leader now, as the writers see it: the node acknowledging their writes.
            leader = load.currentTarget();
            long term = leaderTerm();
            assertTrue(term > 0, "no node reports a leader's term before the kill");
            cluster.kill(leader);
            load.mark();
            // Detection takes up to one election timeout, and a split vote costs one more round; the write itself
            // costs what writes cost on this machine right now (measured before the kill).
            failoverBound = electionTimeoutMax().multipliedBy(2).plus(load.writeBudget()).toMillis();
            failoverMillis = load.millisToFirstAckAfterMark(Duration.ofSeconds(30));
            load.awaitAcks(200, Duration.ofSeconds(30));
            acknowledged = Map.copyOf(load.acknowledged);
            String next = awaitLeader(cluster, "default", Duration.ofSeconds(30));
            assertTrue(!next.equals(leader), "a new leader (" + next + "), not the killed " + leader);
            // The term as a running node reports it: wait for its view instead of sampling it once.
            ClusterProcesses.await("a leader in a term after " + term, Duration.ofSeconds(30),
                    () -> leaderTerm() > term);
            System.out.println("leader kill: first acknowledged write on the new leader after " + failoverMillis
                    + " ms; " + acknowledged.size() + " acknowledged, " + load.unknown.size() + " unknown\n" + cluster.logs());
        }
        assertTrue(failoverMillis < failoverBound, "fail-over took " + failoverMillis + " ms, bound " + failoverBound
                + " ms (two election timeouts plus twice the slowest write before the kill)\n" + cluster.logs());
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
            // No election is needed (the leader keeps its majority): writes must go on sooner than a follower's
            // election timeout would even fire, plus what a write costs on this machine now.
            long bound = electionTimeoutMin().plus(load.writeBudget()).toMillis();
            long millis = load.millisToFirstAckAfterMark(Duration.ofSeconds(10));
            assertTrue(millis < bound, "writes stalled " + millis + " ms after a follower died (bound " + bound + " ms)");
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
        RegisterWorkload register = new RegisterWorkload(cluster, 4);
        try {
            register.awaitWrites("register writes", 20, Duration.ofSeconds(60));
            String leader = awaitLeader(cluster, "default", Duration.ofSeconds(30));
            long term = leaderTerm();
            assertTrue(term > 0, "no node reports a leader's term before the kill");
            cluster.kill(leader);
            register.awaitWrites("register writes after the kill", 20, Duration.ofSeconds(30));
            ClusterProcesses.await("a leader in a term after " + term + " (the killed node led the register's "
                    + "database)", Duration.ofSeconds(30), () -> leaderTerm() > term);
            cluster.start(leader);
            register.awaitWrites("register writes after the restart", 10, Duration.ofSeconds(30));
        } finally {
            register.close();
        }
        String violation = register.stopAndCheck();
        assertEquals(null, violation, violation);
    }
}
