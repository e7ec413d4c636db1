package dev.blitdb.client;

import dev.blitdb.client.exceptions.WriteOutcomeUnknownException;
import dev.blitdb.client.http.ErrorMapper;
import dev.blitdb.cluster.raft.RaftTimeouts;
import dev.blitdb.cluster.topology.ClusterSpec;
import dev.blitdb.server.BlitDbServer;
import dev.blitdb.server.cluster.ClusterSettings;
import dev.blitdb.server.config.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client against a three-node cluster in this JVM (three servers, three Raft servers on loopback): it is
 * given one follower's URL, learns the others from /cluster/topology, sends writes to the leader, and keeps
 * writing after the leader stops. Unknown outcomes arrive typed.
 */
class ClusterClientTest {

    @TempDir
    static Path dir;
    static final Map<String, BlitDbServer> servers = new LinkedHashMap<>();
    static ClusterSpec spec;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @BeforeAll
    static void startCluster() throws Exception {
        StringBuilder members = new StringBuilder();
        for (String id : List.of("A", "B", "C")) {
            members.append(members.isEmpty() ? "" : ",").append(id).append("=127.0.0.1:").append(freePort())
                    .append(':').append(freePort());
        }
        List<Thread> starters = new java.util.ArrayList<>();
        for (String id : List.of("A", "B", "C")) {
            ClusterSpec s = ClusterSpec.parse(id, members.toString());
            spec = s;
            starters.add(Thread.ofPlatform().start(() -> {
                try {
                    BlitDbServer server = BlitDbServer.start(new ServerConfig("127.0.0.1", s.self().httpPort(),
                            dir.resolve(id), false), new ClusterSettings(s, RaftTimeouts.parse("1000-2000")));
                    synchronized (servers) {
                        servers.put(id, server);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread t : starters) {
            t.join();
        }
        assertEquals(3, servers.size());
    }

    @AfterAll
    static void stopCluster() {
        servers.values().forEach(BlitDbServer::close);
    }

    private static String leader() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline) {
                for (BlitDbServer s : servers.values()) {
                    try {
                        String body = http.send(HttpRequest.newBuilder(URI.create(s.url() + "/cluster/topology"))
                                .build(), HttpResponse.BodyHandlers.ofString()).body();
                        var m = java.util.regex.Pattern.compile("\"Leader\":\"([A-C])\"").matcher(body);
                        if (m.find() && servers.containsKey(m.group(1))) {
                            return m.group(1);
                        }
                    } catch (Exception e) {
                        // next
                    }
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("no leader");
    }

    @Test
    void shouldFindTheLeaderFromAFollowerAndFailOverWhenTheLeaderStops() throws Exception {
        String leader = leader();
        String follower = servers.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        try (var store = new DocumentStore(servers.get(follower).url(), "default")) {
            store.requestExecutor().refreshTopology();
            try (var session = store.openSession()) {
                session.store(new User("Ann", 34), "users/1");
                session.saveChanges(); // answered 421 by the follower, resent to the leader
            }
            assertEquals(servers.get(leader).url(), store.requestExecutor().currentUrl());
            servers.remove(leader).close();
            try (var session = store.openSession()) {
                session.store(new User("Bo", 40), "users/2");
                session.saveChanges(); // the leader is gone: another node, then the new leader
            }
            assertTrue(!store.requestExecutor().currentUrl().equals(spec.member(leader).orElseThrow().url()));
            try (var session = store.openSession()) {
                assertNotNull(session.load(User.class, "users/1"));
                assertNotNull(session.load(User.class, "users/2"));
            }
        }
    }

    @Test
    void shouldReportAnUnknownWriteOutcomeAsItsOwnException() {
        byte[] body = ("{\"Type\":\"WriteOutcomeUnknown\",\"Message\":\"the write was proposed but not known "
                + "committed\",\"Url\":\"/databases/default/docs?id=a\"}").getBytes(StandardCharsets.UTF_8);
        var e = ErrorMapper.toException(504, body, "PUT", "/databases/default/docs?id=a");
        assertInstanceOf(WriteOutcomeUnknownException.class, e);
        assertTrue(e.getMessage().contains("not known committed"), e.getMessage());
    }
}
