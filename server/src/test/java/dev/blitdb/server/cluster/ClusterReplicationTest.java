package dev.blitdb.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three server JVMs on loopback, one cluster shared by the tests in order: replication with identical bytes,
 * follower redirects, databases created on every node (also on one that was down, once it is back), linearizable
 * reads on followers, a whole-cluster restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterReplicationTest extends ClusterTestBase {

    private String follower(String leader) {
        return cluster.nodes.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    }

    @Test
    @Order(1)
    void shouldReplicateWritesOnTheLeaderWithTheSameBytesAndChangeVectorsOnEveryNode() throws Exception {
        List<String> changeVectors = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> r = writeToLeader(cluster, "default", "PUT", "/databases/default/docs?id=users/" + i,
                    "{\"Name\":\"user " + i + "\",\"@metadata\":{\"@collection\":\"Users\"}}");
            assertEquals(201, r.statusCode(), r.body() + cluster.logs());
            changeVectors.add(json(r).path("ChangeVector").asText());
        }
        HttpResponse<String> deleted = writeToLeader(cluster, "default", "DELETE",
                "/databases/default/docs?id=users/39", null);
        assertEquals(204, deleted.statusCode(), deleted.body());
        // The change vector names the database group, the same on every node: A:{etag}-{group's database id}.
        String groupId = changeVectors.getFirst().substring(changeVectors.getFirst().indexOf('-') + 1);
        for (String cv : changeVectors) {
            assertTrue(cv.endsWith("-" + groupId), cv);
        }
        for (String id : cluster.nodes.keySet()) {
            HttpResponse<String> r = cluster.get(id, "/databases/default/docs?id=users/7&consistency=linearizable");
            assertEquals(200, r.statusCode(), id + ": " + r.body());
            assertEquals(changeVectors.get(7), json(r).path("@metadata").path("@change-vector").asText(), id);
            assertTrue(r.headers().firstValue("Raft-Applied-Index").isPresent(), id);
        }
        awaitConverged(cluster, "default", Duration.ofSeconds(20));
        List<String> reference = contents(cluster, awaitLeader(cluster, "default", Duration.ofSeconds(30)), "default");
        assertEquals(39, reference.stream().filter(d -> d.contains("user ")).count());
        for (String id : cluster.nodes.keySet()) {
            assertEquals(reference, contents(cluster, id, "default"), "node " + id + " differs from the leader");
        }
    }

    @Test
    @Order(2)
    void shouldAnswerAWriteOnAFollowerWith421NamingTheLeader() throws Exception {
        // Wait for a leader every node knows of (it has sent them heartbeats) before asking a follower.
        String[] leaderAndFollower = new String[2];
        ClusterProcesses.await("a follower that knows the leader", Duration.ofSeconds(30), () -> {
            try {
                String l = awaitLeader(cluster, "default", Duration.ofSeconds(30));
                String f = follower(l);
                HttpResponse<String> probe = cluster.get(f, "/cluster/node");
                leaderAndFollower[0] = l;
                leaderAndFollower[1] = f;
                return probe.body().contains("\"Leader\":\"" + l + "\"");
            } catch (Exception e) {
                return false;
            }
        });
        String leader = leaderAndFollower[0];
        String follower = leaderAndFollower[1];
        HttpResponse<String> r = cluster.send(follower, "PUT", "/databases/default/docs?id=x/1", "{\"A\":1}",
                noHeaders());
        assertEquals(421, r.statusCode(), r.body());
        JsonNode error = json(r);
        assertEquals("NotLeader", error.path("Type").asText());
        assertEquals(cluster.nodes.get(leader).url(), error.path("Leader").asText(), r.body());
        assertEquals(leader, error.path("LeaderId").asText());
        HttpResponse<String> batch = cluster.send(follower, "POST", "/databases/default/bulk_docs",
                "{\"Commands\":[{\"Type\":\"PUT\",\"Id\":\"x/2\",\"Document\":{\"A\":2}}]}", noHeaders());
        assertEquals(421, batch.statusCode(), batch.body());
        assertEquals(404, cluster.get(leader, "/databases/default/docs?id=x/1").statusCode(), "nothing was written");
    }

    @Test
    @Order(3)
    void shouldCreateADatabaseOnEveryNodeFromAnyNodeAndReplicateIt() throws Exception {
        String leaderOfDefault = awaitLeader(cluster, "default", Duration.ofSeconds(30));
        HttpResponse<String> created = cluster.send(follower(leaderOfDefault), "PUT", "/admin/databases?name=Shop",
                null, noHeaders());
        assertEquals(201, created.statusCode(), created.body());
        for (String id : cluster.nodes.keySet()) {
            assertEquals("Done", json(created).path("Nodes").path(id).asText(), created.body());
        }
        HttpResponse<String> put = writeToLeader(cluster, "Shop", "PUT", "/databases/Shop/docs?id=orders/1",
                "{\"Total\":12.5}");
        assertEquals(201, put.statusCode(), put.body());
        HttpResponse<String> hilo = writeToLeader(cluster, "Shop", "GET", "/databases/Shop/hilo/next?tag=orders", null);
        assertEquals(200, hilo.statusCode(), hilo.body());
        assertEquals(1, json(hilo).path("First").asLong());
        for (String id : cluster.nodes.keySet()) {
            HttpResponse<String> r = cluster.get(id, "/databases/Shop/docs?id=orders/1&consistency=linearizable");
            assertEquals(200, r.statusCode(), id + ": " + r.body());
            assertEquals(json(put).path("ChangeVector").asText(),
                    json(r).path("@metadata").path("@change-vector").asText());
        }
        JsonNode shop = database(topology(cluster), "Shop");
        assertNotNull(shop);
        assertEquals(3, shop.path("Members").size(), shop.toString());
        for (JsonNode m : shop.path("Members")) {
            assertTrue(m.path("AppliedIndex").asLong() > 0, shop.toString());
            assertTrue(m.has("Lag"), shop.toString());
        }
        // The next range on a new leader continues where the old one ended: hi-lo state is replicated too.
        HttpResponse<String> next = writeToLeader(cluster, "Shop", "GET", "/databases/Shop/hilo/next?tag=orders", null);
        assertEquals(33, json(next).path("First").asLong(), next.body());
    }

    @Test
    @Order(4)
    void shouldRefuseAnUnknownConsistencyWith400() throws Exception {
        HttpResponse<String> r = cluster.get("A", "/databases/default/docs?id=users/1&consistency=eventual");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(json(r).path("Message").asText().contains("consistency"), r.body());
    }

    /** Node {@code id}'s own list of databases ({@code /cluster/node}). */
    private List<String> databasesOn(String id) throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode d : json(cluster.get(id, "/cluster/node")).path("Databases")) {
            names.add(d.path("Name").asText());
        }
        return names;
    }

    @Test
    @Order(5)
    void shouldCreateAndDropADatabaseOnANodeThatWasDownOnceItIsBack() throws Exception {
        String down = "C";
        cluster.stop(down);
        HttpResponse<String> created = cluster.send("A", "PUT", "/admin/databases?name=Late", null, noHeaders(),
                Duration.ofSeconds(60));
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("Done", json(created).path("Nodes").path("B").asText(), created.body());
        assertTrue(json(created).path("Nodes").path(down).asText().startsWith("Unreachable"), created.body());
        HttpResponse<String> put = writeToLeader(cluster, "Late", "PUT", "/databases/Late/docs?id=late/1",
                "{\"While\":\"C was down\"}");
        assertEquals(201, put.statusCode(), put.body());

        // Nobody calls C: the node that created the database keeps asking, and C catches up from the group's log.
        cluster.start(down);
        awaitConverged(cluster, "Late", Duration.ofSeconds(60));
        String leader = awaitLeader(cluster, "Late", Duration.ofSeconds(30));
        assertEquals(contents(cluster, leader, "Late"), contents(cluster, down, "Late"));

        // The same for a drop: C, down meanwhile, drops the database once it is back.
        cluster.stop(down);
        HttpResponse<String> dropped = cluster.send("B", "DELETE", "/admin/databases?name=Late", null, noHeaders(),
                Duration.ofSeconds(60));
        assertEquals(204, dropped.statusCode(), dropped.body());
        cluster.start(down);
        ClusterProcesses.await("node " + down + " dropping 'Late' once back", Duration.ofSeconds(60), () -> {
            try {
                return databasesOn(down).stream().noneMatch(n -> n.equalsIgnoreCase("Late"));
            } catch (Exception e) {
                return false;
            }
        });
        for (String id : cluster.nodes.keySet()) {
            assertTrue(databasesOn(id).stream().noneMatch(n -> n.equalsIgnoreCase("Late")), id + cluster.logs());
        }
    }

    @Test
    @Order(10)
    void shouldKeepEveryDocumentWhenTheWholeClusterRestarts() throws Exception {
        awaitConverged(cluster, "default", Duration.ofSeconds(20));
        Map<String, List<String>> before = new java.util.LinkedHashMap<>();
        for (String id : cluster.nodes.keySet()) {
            before.put(id, contents(cluster, id, "default"));
        }
        for (String id : cluster.nodes.keySet()) {
            cluster.stop(id);
        }
        cluster.startAll();
        awaitConverged(cluster, "default", Duration.ofSeconds(30));
        for (String id : cluster.nodes.keySet()) {
            assertEquals(before.get(id), contents(cluster, id, "default"), "node " + id + " after restart");
        }
        HttpResponse<String> r = writeToLeader(cluster, "default", "PUT", "/databases/default/docs?id=after/restart",
                "{\"A\":1}");
        assertEquals(201, r.statusCode(), r.body());
    }
}
