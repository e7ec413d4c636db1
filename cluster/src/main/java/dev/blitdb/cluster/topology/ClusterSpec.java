package dev.blitdb.cluster.topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster a node belongs to: its own id and every member (itself included), from {@code --node-id} and
 * {@code --cluster A=host:http:raft,B=...}.
 */
public record ClusterSpec(String selfId, List<ClusterMember> members) {

    public ClusterSpec {
        members = List.copyOf(members);
        Map<String, ClusterMember> byId = new LinkedHashMap<>();
        for (ClusterMember m : members) {
            if (byId.putIfAbsent(m.id().toLowerCase(java.util.Locale.ROOT), m) != null) {
                throw new IllegalArgumentException("node id '" + m.id() + "' appears twice in --cluster");
            }
        }
        if (members.stream().noneMatch(m -> m.id().equals(selfId))) {
            throw new IllegalArgumentException("--node-id " + selfId + " is not one of the --cluster members "
                    + members.stream().map(ClusterMember::id).toList());
        }
    }

    /** Parses the {@code --cluster} value. */
    public static ClusterSpec parse(String selfId, String cluster) {
        if (selfId == null || selfId.isBlank()) {
            throw new IllegalArgumentException("--cluster needs --node-id naming this node");
        }
        List<ClusterMember> members = new ArrayList<>();
        for (String part : cluster.split(",")) {
            if (!part.isBlank()) {
                members.add(ClusterMember.parse(part.trim()));
            }
        }
        if (members.isEmpty()) {
            throw new IllegalArgumentException("--cluster names no node");
        }
        return new ClusterSpec(selfId.trim(), members);
    }

    /** The same cluster with every member's HTTP API on HTTPS (a cluster secured with TLS: all nodes or none). */
    public ClusterSpec withTls() {
        return new ClusterSpec(selfId, members.stream().map(ClusterMember::withTls).toList());
    }

    public ClusterMember self() {
        return member(selfId).orElseThrow();
    }

    public Optional<ClusterMember> member(String id) {
        return members.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    /** This spec with {@code m} added at the end (its id must be new). */
    public ClusterSpec with(ClusterMember m) {
        List<ClusterMember> more = new ArrayList<>(members);
        more.add(m);
        return new ClusterSpec(selfId, more);
    }

    /** This spec without member {@code id}; {@code id} must not be this node. */
    public ClusterSpec without(String id) {
        return new ClusterSpec(selfId, members.stream().filter(m -> !m.id().equals(id)).toList());
    }

    /** The {@code --cluster} form: {@code A=host:http:raft,B=...}. */
    public String format() {
        return String.join(",", members.stream().map(ClusterMember::spec).toList());
    }

    /** The others, in --cluster order. */
    public List<ClusterMember> peers() {
        return members.stream().filter(m -> !m.id().equals(selfId)).toList();
    }
}
