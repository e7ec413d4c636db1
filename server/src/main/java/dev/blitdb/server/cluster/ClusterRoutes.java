package dev.blitdb.server.cluster;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.blitdb.cluster.raft.RaftNode;
import dev.blitdb.cluster.raft.ReplicaGroup;
import dev.blitdb.cluster.topology.ClusterMember;
import dev.blitdb.server.databases.Database;
import dev.blitdb.server.databases.DatabaseName;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.databases.DatabaseRoutes;
import dev.blitdb.server.http.json.JsonBody;
import dev.blitdb.server.http.routing.Blocking;
import dev.blitdb.server.http.routing.Params;
import dev.blitdb.server.http.routing.RouteFamily;
import dev.blitdb.server.http.routing.RouteTable;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster routes: {@code GET /cluster/topology} (every node and, per database, leader, members, applied
 * indexes and lag, gathered from every node), {@code GET /cluster/node} (this node's own view, which topology
 * collects), and {@code PUT|DELETE /admin/cluster/databases?name=} (create or drop a database on this node only;
 * {@code PUT /admin/databases} on any node calls it on every other node through {@link #created}, asking again a
 * node that does not answer: {@link DatabaseFanOut}).
 */
public final class ClusterRoutes implements RouteFamily, DatabaseRoutes.Replicas, AutoCloseable {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);

    private final RaftNode node;
    private final DatabaseRegistry registry;
    private final PeerClient peers;
    private final DatabaseFanOut fanOut;

    public ClusterRoutes(RaftNode node, DatabaseRegistry registry, PeerClient peers) {
        this.node = node;
        this.registry = registry;
        this.peers = peers;
        this.fanOut = new DatabaseFanOut(node, peers);
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Methods.GET, "/cluster/topology", Blocking.dispatch(this::topology))
                .add(Methods.GET, "/cluster/node", Blocking.dispatch(this::nodeStatus))
                .add(Methods.PUT, "/admin/cluster/databases", Blocking.dispatch(this::createHere))
                .add(Methods.DELETE, "/admin/cluster/databases", Blocking.dispatch(this::dropHere));
    }

    /** One node's view of one database group. */
    record GroupView(String database, String role, String leader, long term, long applied, long commit,
                     long logStart, long snapshotIndex, long snapshotsTaken, long snapshotsInstalled) {
    }

    private List<GroupView> localViews() {
        List<GroupView> views = new ArrayList<>();
        for (ReplicaGroup g : node.groups()) {
            var info = g.info();
            views.add(new GroupView(g.database(),
                    info.map(i -> i.getCurrentRole().name()).orElse("NOT_RUNNING"),
                    g.leaderId().orElse(null), info.map(i -> i.getCurrentTerm()).orElse(0L),
                    g.stateMachine().appliedIndex(), g.commitIndex(), g.logStartIndex(),
                    g.stateMachine().snapshotIndex(), g.stateMachine().snapshotsTaken(),
                    g.stateMachine().snapshotsInstalled()));
        }
        return views;
    }

    private void nodeStatus(HttpServerExchange exchange) throws IOException {
        List<GroupView> views = localViews();
        JsonBody.send(exchange, 200, json -> {
            json.writeStartObject();
            json.writeStringField("Id", node.spec().selfId());
            json.writeBooleanField("Joining", node.joining());
            json.writeArrayFieldStart("Databases");
            for (GroupView v : views) {
                json.writeStartObject();
                json.writeStringField("Name", v.database());
                json.writeStringField("Role", v.role());
                json.writeStringField("Leader", v.leader());
                json.writeNumberField("Term", v.term());
                json.writeNumberField("AppliedIndex", v.applied());
                json.writeNumberField("CommitIndex", v.commit());
                writeSnapshotFields(json, v);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static void writeSnapshotFields(JsonGenerator json, GroupView v) throws IOException {
        json.writeNumberField("LogStartIndex", v.logStart());
        json.writeNumberField("SnapshotIndex", v.snapshotIndex());
        json.writeNumberField("SnapshotsTaken", v.snapshotsTaken());
        json.writeNumberField("SnapshotsInstalled", v.snapshotsInstalled());
    }

    static List<GroupView> parseViews(String body) throws IOException {
        List<GroupView> views = new ArrayList<>();
        try (JsonParser p = JSON.createParser(body)) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && "Databases".equals(p.currentName())) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        Map<String, String> f = new TreeMap<>();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            p.nextToken();
                            f.put(name, p.currentToken() == JsonToken.VALUE_NULL ? null : p.getText());
                        }
                        views.add(new GroupView(f.get("Name"), f.get("Role"), f.get("Leader"),
                                Long.parseLong(f.getOrDefault("Term", "0")),
                                Long.parseLong(f.getOrDefault("AppliedIndex", "0")),
                                Long.parseLong(f.getOrDefault("CommitIndex", "-1")),
                                Long.parseLong(f.getOrDefault("LogStartIndex", "-1")),
                                Long.parseLong(f.getOrDefault("SnapshotIndex", "-1")),
                                Long.parseLong(f.getOrDefault("SnapshotsTaken", "0")),
                                Long.parseLong(f.getOrDefault("SnapshotsInstalled", "0"))));
                    }
                }
            }
        }
        return views;
    }

    private void topology(HttpServerExchange exchange) throws IOException {
        Map<String, CompletableFuture<PeerClient.Answer>> asked = new LinkedHashMap<>();
        for (ClusterMember m : node.spec().peers()) {
            asked.put(m.id(), peers.send(m, "GET", "/cluster/node", STATUS_TIMEOUT));
        }
        Map<String, List<GroupView>> byNode = new LinkedHashMap<>();
        Map<String, String> state = new LinkedHashMap<>();
        for (ClusterMember m : node.spec().members()) {
            if (m.id().equals(node.spec().selfId())) {
                byNode.put(m.id(), localViews());
                state.put(m.id(), "Up");
                continue;
            }
            PeerClient.Answer a = asked.get(m.id()).join();
            if (a.status() == 200) {
                byNode.put(m.id(), parseViews(a.body()));
                state.put(m.id(), "Up");
            } else {
                byNode.put(m.id(), List.of());
                state.put(m.id(), a.failure() != null ? "Unreachable" : "Error " + a.status());
            }
        }
        Map<String, Map<String, GroupView>> byDatabase = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byNode.forEach((id, views) -> views.forEach(v ->
                byDatabase.computeIfAbsent(v.database(), k -> new LinkedHashMap<>()).put(id, v)));
        JsonBody.send(exchange, 200, json -> {
            json.writeStartObject();
            json.writeStringField("Self", node.spec().selfId());
            json.writeArrayFieldStart("Nodes");
            for (ClusterMember m : node.spec().members()) {
                json.writeStartObject();
                json.writeStringField("Id", m.id());
                json.writeStringField("Url", m.url());
                json.writeStringField("RaftAddress", m.raftAddress());
                json.writeStringField("State", state.get(m.id()));
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("Databases");
            for (var e : byDatabase.entrySet()) {
                writeDatabase(json, e.getKey(), e.getValue());
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private void writeDatabase(JsonGenerator json, String name, Map<String, GroupView> views) throws IOException {
        // The leader is the node that says it leads with the highest term (an isolated old leader has a lower one).
        GroupView leader = null;
        for (GroupView v : views.values()) {
            if ("LEADER".equals(v.role()) && (leader == null || v.term() > leader.term())) {
                leader = v;
            }
        }
        String leaderId = null;
        if (leader != null) {
            for (var e : views.entrySet()) {
                if (e.getValue() == leader) {
                    leaderId = e.getKey();
                }
            }
        }
        long leaderApplied = leader == null ? -1 : leader.applied();
        json.writeStartObject();
        json.writeStringField("Name", name);
        json.writeStringField("Leader", leaderId);
        if (leaderId != null) {
            json.writeStringField("LeaderUrl", node.spec().member(leaderId).map(ClusterMember::url).orElse(null));
        }
        json.writeArrayFieldStart("Members");
        for (var e : views.entrySet()) {
            GroupView v = e.getValue();
            json.writeStartObject();
            json.writeStringField("Id", e.getKey());
            json.writeStringField("Role", v.role());
            json.writeNumberField("Term", v.term());
            json.writeNumberField("AppliedIndex", v.applied());
            json.writeNumberField("CommitIndex", v.commit());
            writeSnapshotFields(json, v);
            if (leaderApplied >= 0) {
                json.writeNumberField("Lag", Math.max(0, leaderApplied - v.applied()));
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private void createHere(HttpServerExchange exchange) throws IOException {
        Database db = registry.create(new DatabaseName(Params.optional(exchange, "name")));
        JsonBody.send(exchange, 201, json -> {
            json.writeStartObject();
            json.writeStringField("Name", db.name().value());
            json.writeStringField("Node", node.spec().selfId());
            json.writeEndObject();
        });
    }

    private void dropHere(HttpServerExchange exchange) throws IOException {
        registry.drop(new DatabaseName(Params.optional(exchange, "name")));
        exchange.setStatusCode(204);
        exchange.endExchange();
    }

    @Override
    public Map<String, String> created(DatabaseName name) {
        return fanOut.apply(DatabaseFanOut.Change.CREATE, name);
    }

    @Override
    public Map<String, String> dropped(DatabaseName name) {
        return fanOut.apply(DatabaseFanOut.Change.DROP, name);
    }

    /** Stops asking peers in the background (the node is stopping). */
    @Override
    public void close() {
        fanOut.close();
    }
}
