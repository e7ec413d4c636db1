package dev.blitdb.cluster.topology;

import java.util.regex.Pattern;

/**
 * One node of the cluster as {@code --cluster} names it: {@code A=127.0.0.1:8080:9080} is node {@code A} with its
 * HTTP API on port 8080 and its Raft traffic on port 9080 of host 127.0.0.1. {@code tls}: the HTTP API is HTTPS
 * (every node of a secured cluster; see {@link ClusterSpec#withTls}).
 */
public record ClusterMember(String id, String host, int httpPort, int raftPort, boolean tls) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");

    public ClusterMember {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("node id '" + id + "' must be 1-32 letters, digits, '_' or '-'");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("node " + id + " has no host");
        }
        checkPort(id, "HTTP", httpPort);
        checkPort(id, "Raft", raftPort);
    }

    /** A member whose HTTP API is plain HTTP. */
    public ClusterMember(String id, String host, int httpPort, int raftPort) {
        this(id, host, httpPort, raftPort, false);
    }

    /** This member with an HTTPS API. */
    public ClusterMember withTls() {
        return new ClusterMember(id, host, httpPort, raftPort, true);
    }

    private static void checkPort(String id, String what, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("node " + id + ": " + what + " port must be 1-65535, was " + port);
        }
    }

    /** Parses {@code ID=host:httpPort:raftPort}. */
    public static ClusterMember parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("cluster member '" + text + "' must look like A=127.0.0.1:8080:9080");
        }
        String id = text.substring(0, eq).trim();
        String address = text.substring(eq + 1).trim();
        int second = address.lastIndexOf(':');
        int first = second <= 0 ? -1 : address.lastIndexOf(':', second - 1);
        if (first <= 0) {
            throw new IllegalArgumentException("cluster member '" + text + "': expected host:httpPort:raftPort after '='");
        }
        String host = address.substring(0, first);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new ClusterMember(id, host, Integer.parseInt(address.substring(first + 1, second)),
                    Integer.parseInt(address.substring(second + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cluster member '" + text + "': ports must be numbers");
        }
    }

    private String hostForUri() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** The base URL of the node's HTTP API. */
    public String url() {
        return (tls ? "https://" : "http://") + hostForUri() + ":" + httpPort;
    }

    /** host:port of the node's Raft endpoint. */
    public String raftAddress() {
        return hostForUri() + ":" + raftPort;
    }

    /** The {@code --cluster} form of this member. */
    public String spec() {
        return id + "=" + hostForUri() + ":" + httpPort + ":" + raftPort;
    }
}
