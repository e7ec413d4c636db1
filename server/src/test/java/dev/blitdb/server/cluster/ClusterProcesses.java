package dev.blitdb.server.cluster;

import dev.blitdb.server.BlitDbMain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Three (or more) BlitDB server JVMs on loopback forming one cluster: child processes started from the test class
 * path with their own ports and data folders, killable with SIGKILL and restartable on the same folder. Each
 * node's output goes to {@code <folder>/node-<id>.log} (the test prints its tail on failure).
 *
 * <p>Election timeouts: {@value #ELECTION_TIMEOUT} ms. Short enough that fail-over tests finish in seconds, long
 * enough that three JVMs on a loaded two-core machine do not elect for nothing.
 */
final class ClusterProcesses implements AutoCloseable {

    static final String ELECTION_TIMEOUT = "1000-2000";

    /** The lower and upper end of {@link #ELECTION_TIMEOUT}: tests derive their fail-over bounds from these. */
    static Duration electionTimeoutMin() {
        return Duration.ofMillis(Long.parseLong(ELECTION_TIMEOUT.substring(0, ELECTION_TIMEOUT.indexOf('-'))));
    }

    static Duration electionTimeoutMax() {
        return Duration.ofMillis(Long.parseLong(ELECTION_TIMEOUT.substring(ELECTION_TIMEOUT.indexOf('-') + 1)));
    }

    record Node(String id, int httpPort, int raftPort) {
        String url() {
            return "http://127.0.0.1:" + httpPort;
        }

        String spec() {
            return id + "=127.0.0.1:" + httpPort + ":" + raftPort;
        }
    }

    private final Path root;
    final Map<String, Node> nodes = new LinkedHashMap<>();
    /**
     * The running node processes. Concurrent: {@link #startAll} starts the nodes from parallel threads, and a plain
     * map lost one of their entries under load once — a live node the harness then counted as stopped (never taken
     * for a leader, left out of the topology) and never killed.
     */
    private final Map<String, Process> processes = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Node> members = new ArrayList<>();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private String scheme = "http";
    private Map<String, String> defaultHeaders = Map.of();
    private final ConcurrentLinkedDeque<String> events = new ConcurrentLinkedDeque<>();
    /** More server flags for every node (e.g. a small {@code --raft-snapshot} policy). */
    private final List<String> extraArgs = new ArrayList<>();

    /** Per direction "A>B": the proxy node A dials to reach B's Raft port (only with {@link #withProxiedRaft}). */
    private final Map<String, LinkProxy> links = new LinkedHashMap<>();
    /** Extra command-line arguments per node (TLS settings, ...). */
    private final Map<String, List<String>> nodeArgs = new LinkedHashMap<>();

    ClusterProcesses(Path root, String... ids) throws IOException {
        this(root, List.of(), ids);
    }

    ClusterProcesses(Path root, List<String> extraArgs, String... ids) throws IOException {
        this.root = root;
        this.extraArgs.addAll(extraArgs);
        for (String id : ids) {
            addNode(id);
        }
    }

    /**
     * A cluster whose Raft traffic runs through one {@link LinkProxy} per direction of each pair of nodes: each
     * node's {@code --cluster} names its own real Raft port and, for every other node, the proxy of that link.
     * (Ratis keeps the first address it registers for a peer id, the node's own view, so the proxies stay in the
     * path even though the leader's configuration entries carry its view of the addresses.)
     */
    static ClusterProcesses withProxiedRaft(Path root, String... ids) throws IOException {
        ClusterProcesses c = new ClusterProcesses(root, ids);
        for (Node from : c.members) {
            for (Node to : c.members) {
                if (from != to) {
                    String link = from.id() + ">" + to.id();
                    c.links.put(link, new LinkProxy(link, to.raftPort()));
                }
            }
        }
        return c;
    }

    /**
     * Talks HTTPS to the nodes (they must be started with TLS, see {@link #arguments}) with {@code client}, sending
     * {@code headers} (credentials) on every request.
     */
    void secure(javax.net.ssl.SSLContext client, Map<String, String> headers) {
        http.close();
        // The connect timeout covers the TLS handshake too, slow on a loaded machine.
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(client)
                .connectTimeout(Duration.ofSeconds(10)).build();
        scheme = "https";
        defaultHeaders = Map.copyOf(headers);
    }

    /** The base URL of node {@code id}'s HTTP API as this test reaches it. */
    String url(String id) {
        return scheme + "://127.0.0.1:" + nodes.get(id).httpPort();
    }

    /** Adds command-line arguments for node {@code id}'s next starts. */
    void arguments(String id, List<String> args) {
        nodeArgs.put(id, List.copyOf(args));
    }

    /** Cuts node {@code id} off from every other node's Raft traffic, both directions. */
    void isolate(String id) {
        events.add(System.currentTimeMillis() + " isolate " + id);
        links.forEach((link, proxy) -> {
            if (link.startsWith(id + ">") || link.endsWith(">" + id)) {
                proxy.sever();
            }
        });
    }

    /** Heals every severed link. */
    void healAll() {
        events.add(System.currentTimeMillis() + " heal");
        links.values().forEach(LinkProxy::heal);
    }

    /**
     * A new node with its own ports and folder, not started. Nodes started from now on name it in their
     * {@code --cluster}; the running ones learn of it only through {@code PUT /admin/cluster/nodes}.
     */
    Node addNode(String id) throws IOException {
        Node n = new Node(id, freePort(), freePort());
        nodes.put(id, n);
        members.add(n);
        return n;
    }

    /** Ports handed out in this JVM: the kernel may offer a just-closed ephemeral port again (A's Raft = B's HTTP). */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static int freePort() throws IOException {
        for (; ; ) {
            try (ServerSocket s = new ServerSocket(0)) {
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
    }

    String clusterSpec() {
        return String.join(",", members.stream().map(Node::spec).toList());
    }

    /** The {@code --cluster} value node {@code self} starts with: through the link proxies, if there are any. */
    String clusterSpec(String self) {
        if (links.isEmpty()) {
            return clusterSpec();
        }
        return String.join(",", members.stream().map(m -> m.id().equals(self) ? m.spec()
                : m.id() + "=127.0.0.1:" + m.httpPort() + ":" + links.get(self + ">" + m.id()).port()).toList());
    }

    Path dataDir(String id) {
        return root.resolve("node-" + id);
    }

    /** Starts node {@code id} (on its existing folder, if any) and waits until it listens. */
    void start(String id) throws Exception {
        start(id, List.of());
    }

    /** As {@link #start(String)} with more flags for this start only (e.g. {@code --join}). */
    void start(String id, List<String> moreArgs) throws Exception {
        Node n = nodes.get(id);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(System.getProperty("blitdb.jvm.flags", "--enable-native-access=ALL-UNNAMED")
                .trim().split("\\s+")));
        command.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                BlitDbMain.class.getName(), "--node-id", id, "--cluster", clusterSpec(id),
                "--raft-election-timeout", ELECTION_TIMEOUT, "--data-dir", dataDir(id).toString(),
                "--worker-threads", "96"));
        command.addAll(extraArgs);
        command.addAll(moreArgs);
        command.addAll(nodeArgs.getOrDefault(id, List.of()));
        Files.createDirectories(root);
        Path log = root.resolve("node-" + id + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.put(id, p);
        events.add(System.currentTimeMillis() + " start " + id);
        var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        var writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        // Generous: three JVMs starting at once on a loaded two-core machine take tens of seconds each.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        String line;
        while ((line = out.readLine()) != null) {
            writer.write(line);
            writer.newLine();
            if (line.contains("BlitDB listening on")) {
                writer.flush();
                Thread.ofPlatform().daemon().start(() -> {
                    try (writer; out) {
                        String l;
                        while ((l = out.readLine()) != null) {
                            writer.write(l);
                            writer.newLine();
                            writer.flush();
                        }
                    } catch (IOException ignored) {
                        // the process died: its output ends here
                    }
                });
                return;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        writer.close();
        p.destroyForcibly();
        throw new AssertionError("node " + id + " did not start:\n" + Files.readString(log));
    }

    void startAll() throws Exception {
        List<Thread> starters = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (String id : nodes.keySet()) {
            starters.add(Thread.ofPlatform().start(() -> {
                try {
                    start(id);
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : starters) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("cluster did not start", failures.getFirst());
        }
    }

    /** SIGKILL: no shutdown hook, no flush. */
    void kill(String id) throws InterruptedException {
        Process p = processes.remove(id);
        events.add(System.currentTimeMillis() + " kill -9 " + id);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: orderly shut-down. */
    void stop(String id) throws InterruptedException {
        Process p = processes.remove(id);
        if (p == null) {
            return;
        }
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    boolean running(String id) {
        Process p = processes.get(id);
        return p != null && p.isAlive();
    }

    HttpResponse<String> get(String id, String path) throws IOException, InterruptedException {
        var b = HttpRequest.newBuilder(URI.create(url(id) + path)).timeout(Duration.ofSeconds(15)).GET();
        defaultHeaders.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String id, String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        return send(id, method, path, body, headers, Duration.ofSeconds(15));
    }

    HttpResponse<String> send(String id, String method, String path, String body, Map<String, String> headers,
                              Duration timeout) throws IOException, InterruptedException {
        var b = HttpRequest.newBuilder(URI.create(url(id) + path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        defaultHeaders.forEach(b::header);
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** The last lines of every node's log, for a failure message. */
    String logs() {
        StringBuilder b = new StringBuilder("events: ").append(events).append('\n');
        for (String id : nodes.keySet()) {
            Path log = root.resolve("node-" + id + ".log");
            try {
                List<String> lines = Files.readAllLines(log);
                b.append("---- node ").append(id).append(" (role changes, then the last 20 lines)\n");
                lines.stream().filter(l -> l.contains("changes role") || l.contains("ELECTION")
                        || l.contains("SEVERE")).forEach(l -> b.append(l).append('\n'));
                lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(l -> b.append(l).append('\n'));
            } catch (IOException e) {
                b.append("---- node ").append(id).append(": no log\n");
            }
        }
        return b.toString();
    }

    /** Copies every node's log to {@code dir} (a run's evidence, when BLITDB_TEST_LOGS=dir is set). */
    void copyLogs(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String id : nodes.keySet()) {
                Path log = root.resolve("node-" + id + ".log");
                if (Files.exists(log)) {
                    Files.copy(log, dir.resolve("node-" + id + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            System.err.println("cannot copy the node logs to " + dir + ": " + e);
        }
    }

    @Override
    public void close() {
        for (Process p : processes.values()) {
            p.destroyForcibly();
        }
        for (Process p : processes.values()) {
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        links.values().forEach(LinkProxy::close);
        http.close();
    }
}
