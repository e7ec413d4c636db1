package dev.blitdb.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blitdb.cluster.raft.RaftNode;
import dev.blitdb.cluster.topology.ClusterMember;
import dev.blitdb.cluster.topology.ClusterSpec;
import dev.blitdb.cluster.topology.MembershipChangeException;
import dev.blitdb.cluster.topology.MembershipRules;
import dev.blitdb.server.databases.Database;
import dev.blitdb.server.databases.DatabaseName;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.body.RequestBodyReader;
import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.errors.ApiException;
import dev.blitdb.server.http.json.JsonBody;
import dev.blitdb.server.http.json.JsonEnvelope;
import dev.blitdb.server.http.routing.Blocking;
import dev.blitdb.server.http.routing.Params;
import dev.blitdb.server.http.routing.RouteFamily;
import dev.blitdb.server.http.routing.RouteTable;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Runtime membership: {@code PUT /admin/cluster/nodes} adds a node, {@code DELETE /admin/cluster/nodes?id=}
 * removes one, on any node, through Ratis membership changes of every database group plus the cluster's member
 * list (what {@code /cluster/topology} shows and fan-outs reach). The node-to-node halves:
 * {@code PUT /admin/cluster/members} (take this member list) and {@code POST /admin/cluster/leave} (this node was
 * removed: drop its replicas, become a cluster of one). One change at a time per node.
 */
public final class MembershipRoutes implements RouteFamily {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A group change waits for the new node to catch up (log or snapshot install) before it commits. */
    static final Duration GROUP_CHANGE_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final RaftNode node;
    private final DatabaseRegistry registry;
    private final PeerClient peers;
    private final RequestBodyReader bodyReader;
    private final Object changes = new Object();

    public MembershipRoutes(RaftNode node, DatabaseRegistry registry, PeerClient peers, RequestBodyReader bodyReader) {
        this.node = node;
        this.registry = registry;
        this.peers = peers;
        this.bodyReader = bodyReader;
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Methods.PUT, "/admin/cluster/nodes", Blocking.dispatch(this::add))
                .add(Methods.DELETE, "/admin/cluster/nodes", Blocking.dispatch(this::remove))
                .add(Methods.PUT, "/admin/cluster/members", Blocking.dispatch(this::takeMembers))
                .add(Methods.POST, "/admin/cluster/leave", Blocking.dispatch(this::leave));
    }

    private void add(HttpServerExchange exchange) throws IOException {
        JsonNode body = body(exchange, "{\"Id\":\"D\",\"Url\":\"http://127.0.0.1:8083\",\"RaftAddress\":\"127.0.0.1:9083\"}");
        ClusterMember added = member(requiredText(body, "Id"), requiredText(body, "Url"),
                requiredText(body, "RaftAddress"));
        synchronized (changes) {
            ClusterSpec spec = node.spec();
            ClusterSpec next;
            if (spec.member(added.id()).filter(added::equals).isPresent()) {
                // Known with the same addresses: an earlier add that did not reach every group is finished now.
                if (registry.list().stream().allMatch(db -> node.groupMembers(db.name().value()).contains(added.id()))) {
                    throw refusal(new MembershipChangeException(MembershipChangeException.Reason.DUPLICATE_NODE,
                            "node " + added.id() + " is already a member of the cluster and of every database group"));
                }
                next = spec;
            } else {
                next = rules(() -> MembershipRules.adding(spec, added));
            }
            PeerClient.Answer probe = peers.send(added, "GET", "/cluster/node", PROBE_TIMEOUT).join();
            JsonNode probed = probe.status() == 200 ? readTree(probe.body()) : JSON.createObjectNode();
            String probedId = probed.path("Id").asText(null);
            if (!added.id().equals(probedId)) {
                throw ApiException.badRequest("node " + added.id() + " at " + added.url() + " does not answer as node "
                        + added.id() + " (" + (probe.failure() != null ? probe.failure() : probe.status() == 200
                        ? "it is node " + probedId : "HTTP " + probe.status()) + "): start it first with --node-id "
                        + added.id() + " --join and a --cluster that names it");
            }
            if (next != spec && !probed.path("Joining").asBoolean(false)) {
                throw ApiException.badRequest("node " + added.id() + " was not started with --join: restart it with "
                        + "--join on an empty data folder (a node that is not joining may call elections in groups "
                        + "that have not admitted it)");
            }
            Map<String, String> nodes = announce(next, next.members());
            Map<String, String> databases = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Database db : registry.list()) {
                String name = db.name().value();
                PeerClient.Answer created = peers.send(added, "PUT", "/admin/cluster/databases?name="
                        + URLEncoder.encode(name, StandardCharsets.UTF_8), PeerClient.TIMEOUT).join();
                if (created.status() != 201 && created.status() != 409) {
                    databases.put(name, "Failed: creating it on " + added.id() + " answered " + (created.failure() != null
                            ? created.failure() : "HTTP " + created.status() + " " + created.body()));
                    continue;
                }
                databases.put(name, changeGroup(name, next.members()));
            }
            if (databases.values().stream().allMatch("Done"::equals)) {
                // Admitted to every group: databases created from now on include it from the start.
                PeerClient.Answer joined = peers.send(added, "PUT", "/admin/cluster/members", JSON.createObjectNode()
                        .put("Members", next.format()).put("Joined", true).toString(), PeerClient.TIMEOUT).join();
                nodes.put(added.id(), joined.status() == 204 ? "Joined" : "Added, but not told it joined: HTTP "
                        + joined.status() + " " + (joined.failure() != null ? joined.failure() : joined.body()));
            }
            respond(exchange, added.id(), nodes, databases);
        }
    }

    private void remove(HttpServerExchange exchange) throws IOException {
        String id = Params.required(exchange, "id");
        synchronized (changes) {
            ClusterSpec spec = node.spec();
            Set<String> reachable = reachable(spec);
            List<ClusterMember> remaining = rules(() -> MembershipRules.removing(spec, id, reachable));
            Map<String, String> databases = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Database db : registry.list()) {
                databases.put(db.name().value(), changeGroup(db.name().value(), remaining));
            }
            if (databases.values().stream().anyMatch(v -> !v.equals("Done"))) {
                throw new ApiException(ApiError.INTERNAL, "node " + id + " was not removed from every database group "
                        + databases + "; the member list is unchanged: repeat the request");
            }
            String self = node.spec().selfId();
            Map<String, String> nodes = announce(self.equals(id) ? null : new ClusterSpec(self, remaining), remaining);
            if (self.equals(id)) {
                leaveHere();
                nodes.put(id, "Left");
            } else if (reachable.contains(id)) {
                PeerClient.Answer left = peers.send(spec.member(id).orElseThrow(), "POST", "/admin/cluster/leave",
                        PeerClient.TIMEOUT).join();
                nodes.put(id, left.status() == 204 ? "Left" : left.failure() != null ? "Unreachable: " + left.failure()
                        : "Failed: HTTP " + left.status());
            } else {
                nodes.put(id, "Unreachable: wipe its data folder before reusing it");
            }
            respond(exchange, id, nodes, databases);
        }
    }

    /** Node-to-node: this node's member list is now the body's {@code Members} ({@code --cluster} form). */
    private void takeMembers(HttpServerExchange exchange) throws IOException {
        JsonNode body = body(exchange, "{\"Members\":\"A=127.0.0.1:8080:9080,B=127.0.0.1:8081:9081\"}");
        String self = node.spec().selfId();
        ClusterSpec next;
        try {
            next = ClusterSpec.parse(self, requiredText(body, "Members"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Members: " + e.getMessage());
        }
        node.updateMembers(next);
        if (body.path("Joined").asBoolean(false)) {
            node.setJoining(false);
        }
        exchange.setStatusCode(204);
        exchange.endExchange();
    }

    /** Node-to-node: this node was removed from the cluster. */
    private void leave(HttpServerExchange exchange) throws IOException {
        synchronized (changes) {
            leaveHere();
        }
        exchange.setStatusCode(204);
        exchange.endExchange();
    }

    /**
     * A removed node drops its replicas (they are no longer replicated; re-adding the node installs them anew) and
     * becomes a cluster of one.
     */
    private void leaveHere() throws IOException {
        for (Database db : registry.list()) {
            registry.drop(new DatabaseName(db.name().value()));
        }
        ClusterSpec spec = node.spec();
        node.updateMembers(new ClusterSpec(spec.selfId(), List.of(spec.self())));
    }

    private String changeGroup(String database, List<ClusterMember> members) {
        try {
            node.changeMembers(database, members, GROUP_CHANGE_TIMEOUT);
            return "Done";
        } catch (IOException | RuntimeException e) {
            return "Failed: " + e.getMessage();
        }
    }

    /**
     * Tells every other member of {@code members} the new list, then takes it here ({@code here} null: this node
     * is leaving and keeps its list until it left).
     */
    private Map<String, String> announce(ClusterSpec here, List<ClusterMember> members) throws IOException {
        String body = JSON.createObjectNode().put("Members", String.join(",",
                members.stream().map(ClusterMember::spec).toList())).toString();
        String self = node.spec().selfId();
        Map<String, CompletableFuture<PeerClient.Answer>> asked = new LinkedHashMap<>();
        for (ClusterMember m : members) {
            if (!m.id().equals(self)) {
                asked.put(m.id(), peers.send(m, "PUT", "/admin/cluster/members", body, PeerClient.TIMEOUT));
            }
        }
        Map<String, String> result = new LinkedHashMap<>();
        if (here != null) {
            node.updateMembers(here);
            result.put(self, "Done");
        }
        asked.forEach((id, f) -> {
            PeerClient.Answer a = f.join();
            result.put(id, a.status() == 204 ? "Done" : a.failure() != null ? "Unreachable: " + a.failure()
                    : "Failed: HTTP " + a.status() + " " + a.body());
        });
        return result;
    }

    /** The members that answer {@code GET /cluster/node} now (this node included). */
    private Set<String> reachable(ClusterSpec spec) {
        Map<String, CompletableFuture<PeerClient.Answer>> asked = new LinkedHashMap<>();
        for (ClusterMember m : spec.peers()) {
            asked.put(m.id(), peers.send(m, "GET", "/cluster/node", PROBE_TIMEOUT));
        }
        Set<String> up = new HashSet<>();
        up.add(spec.selfId());
        asked.forEach((id, f) -> {
            if (f.join().status() == 200) {
                up.add(id);
            }
        });
        return up;
    }

    private void respond(HttpServerExchange exchange, String id, Map<String, String> nodes,
                         Map<String, String> databases) throws IOException {
        List<String> failed = new ArrayList<>();
        databases.forEach((db, outcome) -> {
            if (!outcome.equals("Done")) {
                failed.add(db + ": " + outcome);
            }
        });
        if (!failed.isEmpty()) {
            throw new ApiException(ApiError.INTERNAL, "node " + id + ": the membership of " + failed.size() + " of "
                    + databases.size() + " database groups did not change (" + String.join("; ", failed)
                    + "); repeat the request to finish");
        }
        ClusterSpec spec = node.spec();
        JsonBody.send(exchange, 200, json -> {
            json.writeStartObject();
            json.writeStringField("Id", id);
            json.writeStringField("Members", spec.format());
            json.writeObjectFieldStart("Nodes");
            for (var e : nodes.entrySet()) {
                json.writeStringField(e.getKey(), e.getValue());
            }
            json.writeEndObject();
            json.writeObjectFieldStart("Databases");
            for (var e : databases.entrySet()) {
                json.writeStringField(e.getKey(), e.getValue());
            }
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static <T> T rules(java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (MembershipChangeException e) {
            throw refusal(e);
        }
    }

    private static ApiException refusal(MembershipChangeException e) {
        return new ApiException(e.reason() == MembershipChangeException.Reason.UNKNOWN_NODE ? ApiError.NOT_FOUND
                : ApiError.CONFLICT, e.getMessage());
    }

    /** A member from the body's fields: {@code Url} http://host:port, {@code RaftAddress} host:port, same host. */
    static ClusterMember member(String id, String url, String raftAddress) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Url '" + url + "' is not a URL: " + e.getMessage());
        }
        boolean https = "https".equals(uri.getScheme());
        if (!("http".equals(uri.getScheme()) || https) || uri.getHost() == null || uri.getPort() < 0
                || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
            throw ApiException.badRequest("Url '" + url + "' must be http://host:port or https://host:port (the node's HTTP API)");
        }
        int colon = raftAddress.lastIndexOf(':');
        if (colon <= 0) {
            throw ApiException.badRequest("RaftAddress '" + raftAddress + "' must be host:port");
        }
        String raftHost = raftAddress.substring(0, colon);
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        String bareRaftHost = raftHost.startsWith("[") ? raftHost.substring(1, raftHost.length() - 1) : raftHost;
        if (!host.equalsIgnoreCase(bareRaftHost)) {
            throw ApiException.badRequest("Url host '" + host + "' and RaftAddress host '" + bareRaftHost
                    + "' differ: a node has one host");
        }
        try {
            return new ClusterMember(id, host, uri.getPort(), Integer.parseInt(raftAddress.substring(colon + 1)), https);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("RaftAddress '" + raftAddress + "': the port must be a number");
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private JsonNode body(HttpServerExchange exchange, String example) throws IOException {
        RequestBodyReader.Body body = bodyReader.read(exchange);
        JsonNode node = JsonEnvelope.read(body.array(), body.length(), parser -> {
            JsonNode tree = JSON.readTree(parser);
            JsonEnvelope.requireEnd(parser);
            return tree;
        });
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object, e.g. " + example);
        }
        return node;
    }

    private static String requiredText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw ApiException.badRequest("field '" + field + "' is required and must be a non-empty string");
        }
        return value.asText();
    }

    private static JsonNode readTree(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
