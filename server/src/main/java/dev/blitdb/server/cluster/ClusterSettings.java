package dev.blitdb.server.cluster;

import dev.blitdb.cluster.raft.RaftTimeouts;
import dev.blitdb.cluster.raft.SnapshotPolicy;
import dev.blitdb.cluster.topology.ClusterSpec;
import dev.blitdb.server.config.ConfigException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cluster flags of one node. They are taken out of the command line before the rest goes to
 * {@link dev.blitdb.server.config.ServerConfigParser}, so a node without {@code --cluster} is configured exactly as
 * a single server.
 *
 * @param spec     this node and every member ({@code --node-id A --cluster A=host:http:raft,B=...})
 * @param timeouts Raft election timeouts ({@code --raft-election-timeout 1000-2000}, milliseconds)
 * @param snapshots when Raft snapshots are taken and the log purged ({@code --raft-snapshot 10000:8192:1024})
 * @param join      this node starts as a new member, to be added with {@code PUT /admin/cluster/nodes}
 *                  ({@code --join}): its database groups start without itself, so it never calls an election in
 *                  a group that has not admitted it
 */
public record ClusterSettings(ClusterSpec spec, RaftTimeouts timeouts, SnapshotPolicy snapshots, boolean join) {

    public static final String USAGE = """
              --node-id <id>              this node's id in --cluster              [BLITDB_NODE_ID]
              --cluster <members>         run as a cluster node: A=host:httpPort:raftPort,B=...; every database is
                                          a Raft group over all members; the HTTP port is this node's entry's
                                                                                   [BLITDB_CLUSTER]
              --raft-election-timeout <min-max>  Raft election timeout in ms   [BLITDB_RAFT_ELECTION_TIMEOUT,
                                                                                    default 1000-2000]
              --raft-snapshot <n[:segKiB[:kept]]>  snapshot every n log entries, log segments of segKiB,
                                          kept entries behind a snapshot  [BLITDB_RAFT_SNAPSHOT,
                                                                           default 10000:8192:1024]
              --join                      start as a new member of a running cluster, to be added with
                                          PUT /admin/cluster/nodes                 [BLITDB_CLUSTER_JOIN=true]""";

    /** The remaining arguments and the cluster settings, if {@code --cluster} (or BLITDB_CLUSTER) was given. */
    public record Parsed(List<String> rest, ClusterSettings settings) {
    }

    public static Parsed extract(List<String> args, Map<String, String> env) throws ConfigException {
        String nodeId = env.get("BLITDB_NODE_ID");
        String cluster = env.get("BLITDB_CLUSTER");
        String timeouts = env.get("BLITDB_RAFT_ELECTION_TIMEOUT");
        String snapshots = env.get("BLITDB_RAFT_SNAPSHOT");
        boolean join = "true".equalsIgnoreCase(env.get("BLITDB_CLUSTER_JOIN"));
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (name.equals("--join") && value == null) {
                join = true;
                continue;
            }
            if (!name.equals("--node-id") && !name.equals("--cluster") && !name.equals("--raft-election-timeout")
                    && !name.equals("--raft-snapshot")) {
                rest.add(arg);
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new ConfigException(name + " needs a value");
                }
                value = args.get(++i);
            }
            switch (name) {
                case "--node-id" -> nodeId = value;
                case "--cluster" -> cluster = value;
                case "--raft-snapshot" -> snapshots = value;
                default -> timeouts = value;
            }
        }
        if (cluster == null || cluster.isBlank()) {
            if (nodeId != null || join) {
                throw new ConfigException((join ? "--join" : "--node-id") + " needs --cluster listing the members");
            }
            return new Parsed(rest, null);
        }
        try {
            return new Parsed(rest, new ClusterSettings(ClusterSpec.parse(nodeId, cluster),
                    timeouts == null ? RaftTimeouts.DEFAULT : RaftTimeouts.parse(timeouts),
                    snapshots == null ? SnapshotPolicy.DEFAULT : SnapshotPolicy.parse(snapshots), join));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    public String describe() {
        return "  cluster node           " + spec.selfId() + " of " + spec.members().stream()
                .map(m -> m.spec()).toList() + "\n"
                + "  raft election timeout  " + timeouts.electionMin().toMillis() + "-"
                + timeouts.electionMax().toMillis() + " ms\n"
                + "  raft snapshots         every " + snapshots.thresholdEntries() + " entries, log segments of "
                + (snapshots.segmentBytes() >> 10) + " KiB, " + snapshots.keptEntries() + " entries kept"
                + (join ? "\n  joining                a running cluster (add it with PUT /admin/cluster/nodes)" : "");
    }
}
