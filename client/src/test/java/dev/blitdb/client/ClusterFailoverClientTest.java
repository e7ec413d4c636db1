package dev.blitdb.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blitdb.client.exceptions.WriteOutcomeUnknownException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client against a real three-node cluster (three JDK 25 server processes; this test runs on the client's JDK):
 * given ONE node's URL it learns the others, follows the leader, and keeps writing through a kill -9 of the leader.
 * Every write either succeeds — and is then on the new leader — or fails with {@link WriteOutcomeUnknownException}
 * (the connection died after sending, or 504): nothing else, and nothing is silently resent.
 */
class ClusterFailoverClientTest {

    @TempDir
    static Path tmp;

    private static final Map<String, TestServer> NODES = new LinkedHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startCluster() throws Exception {
        List<String> ids = List.of("A", "B", "C");
        StringBuilder spec = new StringBuilder();
        for (String id : ids) {
            spec.append(spec.length() == 0 ? "" : ",").append(id).append("=127.0.0.1:").append(freePort()).append(':')
                    .append(freePort());
        }
        List<Thread> starters = new ArrayList<>();
        Map<String, TestServer> started = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        for (String id : ids) {
            starters.add(new Thread(() -> {
                try {
                    started.put(id, new TestServer(tmp.resolve("node-" + id), "--node-id", id, "--cluster",
                            spec.toString(), "--raft-election-timeout", "1000-2000"));
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        starters.forEach(Thread::start);
        for (Thread t : starters) {
            t.join();
        }
        for (String id : ids) {
            if (started.containsKey(id)) {
                NODES.put(id, started.get(id));
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("the cluster did not start", failures.peek());
        }
    }

    @AfterAll
    static void stopCluster() {
        NODES.values().forEach(TestServer::close);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The id of the node that leads {@code default} in a later term than {@code afterTerm}, as {@code asked} sees it. */
    private static String leader(String asked, long afterTerm) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(NODES.get(asked).url()
                    + "/cluster/topology")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode d : JSON.readTree(r.body()).path("Databases")) {
                if (d.path("Name").asText().equals("default") && !d.path("Leader").isNull()) {
                    String leader = d.path("Leader").asText();
                    for (JsonNode m : d.path("Members")) {
                        if (m.path("Id").asText().equals(leader) && m.path("Term").asLong() > afterTerm) {
                            return leader + "@" + m.path("Term").asLong();
                        }
                    }
                }
            }
        } catch (Exception e) {
            // not answering: no leader known there
        }
        return null;
    }

    private static String await(String what, Duration timeout, java.util.function.Supplier<String> value)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (; ; ) {
            String v = value.get();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void shouldFollowTheLeaderThroughAKillAndReportUnknownOutcomesAsTyped() throws Exception {
        String first = await("a leader", Duration.ofSeconds(60), () -> leader("A", 0));
        String oldLeader = first.substring(0, first.indexOf('@'));
        long oldTerm = Long.parseLong(first.substring(first.indexOf('@') + 1));
        // One URL, deliberately the leader's: the client must learn the other nodes to survive its death.
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        Set<String> unknown = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        AtomicInteger acksAfterKill = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        String survivor;
        try (DocumentStore store = new DocumentStore(NODES.get(oldLeader).url(), "default")) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int writer = t;
                writers.add(new Thread(() -> {
                    for (int i = 0; !stop.get() && i < 100_000; i++) {
                        String id = "users/" + writer + "-" + i;
                        try (var session = store.openSession()) {
                            session.store(new User("U" + i, i), id);
                            session.saveChanges();
                            acknowledged.put(id, "");
                            if (killed.get()) {
                                acksAfterKill.incrementAndGet();
                            }
                        } catch (WriteOutcomeUnknownException e) {
                            unknown.add(id); // typed, and not resent by the client
                        } catch (Throwable e) {
                            unexpected.add(e);
                            return;
                        }
                    }
                }, "client-writer-" + t));
            }
            writers.forEach(Thread::start);
            await("200 acknowledged writes", Duration.ofSeconds(60), () -> acknowledged.size() >= 200 ? "" : null);
            NODES.get(oldLeader).kill();
            killed.set(true);
            long killedAt = System.nanoTime();
            survivor = NODES.keySet().stream().filter(id -> !id.equals(oldLeader)).findFirst().orElseThrow();
            await("100 writes acknowledged after the kill", Duration.ofSeconds(45),
                    () -> acksAfterKill.get() >= 100 || !unexpected.isEmpty() ? "" : null);
            long failoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
            stop.set(true);
            for (Thread w : writers) {
                w.join();
            }
            assertTrue(unexpected.isEmpty(), "a write failed with something other than WriteOutcomeUnknown: "
                    + unexpected.peek());
            String next = await("a new leader", Duration.ofSeconds(30), () -> leader(survivor, oldTerm));
            System.out.println("client fail-over: " + acknowledged.size() + " acknowledged, " + unknown.size()
                    + " unknown, 100 acknowledged after the kill within " + failoverMillis + " ms; new leader " + next);
            // Every acknowledged write is there (read through the client, from the node it now talks to).
            try (var session = store.openSession()) {
                Map<String, User> loaded = session.load(User.class, acknowledged.keySet());
                for (String id : acknowledged.keySet()) {
                    assertNotNull(loaded.get(id), "acknowledged write " + id + " is missing");
                }
            }
            assertTrue(store.requestExecutor().currentUrl().startsWith("http://127.0.0.1:"));
            assertTrue(!store.requestExecutor().currentUrl().equals(NODES.get(oldLeader).url()),
                    "the client still talks to the killed node");
        }
        // The killed node comes back and the client's writes keep working against the cluster.
        NODES.get(oldLeader).restart();
        try (DocumentStore store = new DocumentStore(NODES.get(oldLeader).url(), "default");
             var session = store.openSession()) {
            session.store(new User("after", 1), "users/after-restart");
            session.saveChanges();
        }
        try (DocumentStore store = new DocumentStore(NODES.get(survivor).url(), "default")) {
            // The survivor may be a follower a moment behind: wait until it applied the write.
            String name = await("the write on " + survivor, Duration.ofSeconds(30), () -> {
                try (var session = store.openSession()) {
                    User u = session.load(User.class, "users/after-restart");
                    return u == null ? null : u.getName();
                }
            });
            assertEquals("after", name);
        }
    }
}
