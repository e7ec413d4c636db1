package dev.blitdb.server.cluster;

import dev.blitdb.cluster.raft.RaftTimeouts;
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
 */
public record ClusterSettings(ClusterSpec spec, RaftTimeouts timeouts) {

    public static final String USAGE = """
              --node-id <id>              this node's id in --cluster              [BLITDB_NODE_ID]
              --cluster <members>         run as a cluster node: A=host:httpPort:raftPort,B=...; every database is
                                          a Raft group over all members; the HTTP port is this node's entry's
                                                                                   [BLITDB_CLUSTER]
              --raft-election-timeout <min-max>  Raft election timeout in ms   [BLITDB_RAFT_ELECTION_TIMEOUT,
                                                                                    default 1000-2000]""";

    /** The remaining arguments and the cluster settings, if {@code --cluster} (or BLITDB_CLUSTER) was given. */
    public record Parsed(List<String> rest, ClusterSettings settings) {
    }

    public static Parsed extract(List<String> args, Map<String, String> env) throws ConfigException {
        String nodeId = env.get("BLITDB_NODE_ID");
        String cluster = env.get("BLITDB_CLUSTER");
        String timeouts = env.get("BLITDB_RAFT_ELECTION_TIMEOUT");
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
            if (!name.equals("--node-id") && !name.equals("--cluster") && !name.equals("--raft-election-timeout")) {
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
                default -> timeouts = value;
            }
        }
        if (cluster == null || cluster.isBlank()) {
            if (nodeId != null) {
                throw new ConfigException("--node-id needs --cluster listing the members");
            }
            return new Parsed(rest, null);
        }
        try {
            return new Parsed(rest, new ClusterSettings(ClusterSpec.parse(nodeId, cluster),
                    timeouts == null ? RaftTimeouts.DEFAULT : RaftTimeouts.parse(timeouts)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    public String describe() {
        return "  cluster node           " + spec.selfId() + " of " + spec.members().stream()
                .map(m -> m.spec()).toList() + "\n"
                + "  raft election timeout  " + timeouts.electionMin().toMillis() + "-"
                + timeouts.electionMax().toMillis() + " ms";
    }
}
