package dev.blitdb.server;

import dev.blitdb.cluster.raft.RaftNode;
import dev.blitdb.server.cluster.ClusterReadHandler;
import dev.blitdb.server.cluster.ClusterRoutes;
import dev.blitdb.server.cluster.ClusterSettings;
import dev.blitdb.server.cluster.ClusterTrust;
import dev.blitdb.cluster.topology.ClusterSpec;
import dev.blitdb.server.cluster.PeerClient;
import dev.blitdb.server.cluster.ReplicationService;
import dev.blitdb.server.config.ServerConfig;
import dev.blitdb.storage.engine.Durability;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.databases.DatabaseService;
import dev.blitdb.server.http.ApiRoutes;
import dev.blitdb.server.http.body.LargeRequestBudget;
import dev.blitdb.server.http.body.RequestBodyReader;
import dev.blitdb.server.http.body.ScratchSpace;
import dev.blitdb.server.http.routing.RouteFamily;
import dev.blitdb.server.http.routing.RouteTable;
import dev.blitdb.server.http.security.SecurityRoutes;
import dev.blitdb.server.security.store.SecurityStore;
import dev.blitdb.server.security.tls.ServerTls;
import dev.blitdb.server.indexes.IndexService;
import dev.blitdb.server.metrics.MetricsRoutes;
import dev.blitdb.server.metrics.ServerMetrics;
import dev.blitdb.indexing.worker.IndexingOptions;
import dev.blitdb.indexing.worker.ThreadSpawner;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import dev.blitdb.server.http.documents.DocumentLimits;
import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.errors.ErrorResponder;
import dev.blitdb.server.http.tls.HttpsListener;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import org.xnio.Option;
import org.xnio.OptionMap;
import org.xnio.Options;
import io.undertow.server.handlers.BlockingReadTimeoutHandler;
import io.undertow.server.handlers.BlockingWriteTimeoutHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One running BlitDB server: the Undertow listener and the databases it serves. {@link #start} binds the port,
 * then opens the databases (requests to one still opening get 503) and returns once all are open;
 * {@link #close} stops accepting, lets in-flight requests finish (up to a grace period), then closes every
 * database (queued writes are committed, stores closed), so the next start finds everything.
 *
 * <p>Threads, sized for small machines: IO threads = cores (at least 2) only parse and route; everything that
 * blocks runs on the worker pool ({@link ServerConfig#effectiveWorkerThreads()}, default
 * {@code max(64, 16 × cores)}: a write holds its worker while it waits for the group commit, so the pool bounds
 * how many writes one commit can merge). Each database adds one merger thread.
 */
public final class BlitDbServer implements AutoCloseable {

    /** How long {@link #close} waits for in-flight requests before stopping anyway. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

    private final ServerConfig config;
    private final Undertow undertow;
    private HttpsListener https; // null without TLS
    private final GracefulShutdownHandler shutdownHandler;
    private final java.util.concurrent.atomic.AtomicBoolean stopping;
    private final DatabaseRegistry registry;
    private final ServerSecurity security;
    private final List<String> routes;
    private final LargeRequestBudget budget;
    private final ScratchSpace scratch;
    private volatile boolean closed;
    private AutoCloseable onClose;
    private dev.blitdb.cluster.raft.RaftNode raftNode;
    private dev.blitdb.server.cluster.PeerClient peerClient;
    private ClusterRoutes clusterRoutes;

    private BlitDbServer(ServerConfig config, Undertow undertow, GracefulShutdownHandler shutdownHandler,
                         java.util.concurrent.atomic.AtomicBoolean stopping, DatabaseRegistry registry,
                         ServerSecurity security, List<String> routes, LargeRequestBudget budget,
                         ScratchSpace scratch) {
        this.budget = budget;
        this.scratch = scratch;
        this.config = config;
        this.undertow = undertow;
        this.shutdownHandler = shutdownHandler;
        this.stopping = stopping;
        this.registry = registry;
        this.security = security;
        this.routes = routes;
    }

    /**
     * Starts a server with every database's index service. The thread spawner that starts index worker threads
     * is created here, on the starting thread (at the process's base priority), and lives as long as the server.
     */
    public static BlitDbServer start(ServerConfig config) throws IOException {
        return start(config, (ClusterSettings) null);
    }

    /**
     * As {@link #start(ServerConfig)}, as a node of a cluster when {@code cluster} is not null: every database is a
     * Raft group over the cluster's members (see server/API.md, "Cluster").
     */
    public static BlitDbServer start(ServerConfig config, ClusterSettings cluster) throws IOException {
        return start(config, cluster, null);
    }

    /**
     * As {@link #start(ServerConfig, ClusterSettings)}; {@code trust} (a secured cluster: TLS is configured) names
     * the nodes' certificates: Raft traffic and node-to-node HTTP then use mutual TLS with this node's certificate.
     */
    public static BlitDbServer start(ServerConfig config, ClusterSettings cluster, ClusterTrust trust)
            throws IOException {
        ThreadSpawner spawner = new ThreadSpawner("blitdb-index-spawner");
        try {
            BlitDbServer server = start(config, StoreOptions.defaults(),
                    List.of(IndexService.factory(spawner, IndexingOptions.defaults())), List.of(), cluster, trust);
            server.onClose = spawner;
            return server;
        } catch (IOException | RuntimeException e) {
            spawner.close();
            throw e;
        }
    }

    /**
     * Starts a server with these per-database services (the production server passes its index service; tests pass
     * others, or none) and extra route families besides those of {@link ApiRoutes#families}, which already hold
     * every route of the API (tests add routes of their own here).
     */
    public static BlitDbServer start(ServerConfig config, List<DatabaseService.Factory> services,
                                     List<RouteFamily> extraRoutes) throws IOException {
        return start(config, StoreOptions.defaults(), services, extraRoutes);
    }

    /** As {@link #start(ServerConfig, List, List)} with the stores opened with {@code storeOptions} (tests, tools). */
    public static BlitDbServer start(ServerConfig config, StoreOptions storeOptions,
                                     List<DatabaseService.Factory> services, List<RouteFamily> extraRoutes)
            throws IOException {
        return start(config, storeOptions, services, extraRoutes, null, null);
    }

    private static BlitDbServer start(ServerConfig config, StoreOptions storeOptions,
                                      List<DatabaseService.Factory> services, List<RouteFamily> extraRoutes,
                                      ClusterSettings cluster, ClusterTrust trust) throws IOException {
        ServerMetrics metrics = new ServerMetrics();
        // -Dblitdb.requestMetrics=false leaves requests unmetered: only to measure what metering costs (bench).
        boolean requestMetrics = !"false".equals(System.getProperty("blitdb.requestMetrics"));
        List<DatabaseService.Factory> withMetrics = new java.util.ArrayList<>(services);
        withMetrics.add(metrics.commitObserver());
        RaftNode node = null;
        PeerClient peers = null;
        ClusterRoutes clusterRoutes = null;
        DatabaseRegistry registry;
        // Security first: a secured cluster node's Raft transport and peer client need its certificate.
        ServerSecurity security = ServerSecurity.start(config, trust == null ? Map.of() : trust.principals());
        try {
            if (cluster == null) {
                registry = DatabaseRegistry.create(config.dataDir(), storeOptions, MergerOptions.defaults(),
                        withMetrics);
            } else {
                ClusterSpec spec = cluster.spec();
                javax.net.ssl.SSLContext peerTls = null;
                if (security.tls() != null) {
                    if (trust == null) {
                        throw new IllegalArgumentException("a cluster node with TLS needs " + ClusterTrust.FLAG
                                + " naming every node's certificate");
                    }
                    trust.requireMember(security.tls().certificate());
                    spec = spec.withTls();
                    peerTls = trust.clientContext(security.tls().keyManager());
                }
                // The Raft log is the durable record of every write (Ratis syncs it before an entry counts as
                // committed), so store commits skip their own msync: one sync on the write path (storage/DESIGN.md).
                node = new RaftNode(spec, config.dataDir().resolve(".raft"), cluster.timeouts(),
                        cluster.snapshots());
                node.setJoining(cluster.join());
                if (security.tls() != null) {
                    node.useTls(security.tls().keyManager(), trust.trustManager());
                }
                withMetrics.addFirst(new ReplicationService(node));
                registry = DatabaseRegistry.create(config.dataDir(), storeOptions.withDurability(Durability.NO_SYNC),
                        MergerOptions.defaults(), withMetrics, RaftNode::databaseId);
                peers = new PeerClient(peerTls);
                clusterRoutes = new ClusterRoutes(node, registry, peers);
            }
        } catch (IOException | RuntimeException e) {
            security.close();
            throw e;
        }
        metrics.watch(registry);
        metrics.watchPeerCertificateReads(security.requests().authenticator()::peerCertificateReads);
        try {
            return start(config, registry, security, metrics, requestMetrics, extraRoutes, node, peers, clusterRoutes);
        } catch (IOException | RuntimeException e) {
            security.close();
            throw e;
        }
    }

    private static BlitDbServer start(ServerConfig config, DatabaseRegistry registry, ServerSecurity security,
                                      ServerMetrics metrics, boolean requestMetrics, List<RouteFamily> extraRoutes,
                                      RaftNode node, PeerClient peers, ClusterRoutes clusterRoutes)
            throws IOException {
        // Large bodies spool to one scratch file in the data folder (not a database: only folders are), and large
        // requests in flight share one heap budget (admission control: 503 ServerBusy instead of OutOfMemoryError).
        LargeRequestBudget budget = new LargeRequestBudget(config.effectiveLargeRequestBudget());
        ScratchSpace scratch = ScratchSpace.open(config.dataDir());
        var bodyReader = new RequestBodyReader(config.maxBodyBytes(), budget, scratch);
        var families = ApiRoutes.families(registry, bodyReader, clusterRoutes);
        if (clusterRoutes != null) {
            families.add(clusterRoutes);
            families.add(new dev.blitdb.server.cluster.MembershipRoutes(node, registry, peers, bodyReader));
        }
        families.add(new MetricsRoutes(metrics));
        families.add(new SecurityRoutes(security.requests(), bodyReader));
        families.addAll(extraRoutes);
        RouteTable table = ApiRoutes.table(families, requestMetrics ? metrics.http()::meter
                : dev.blitdb.server.http.routing.RouteMeter.NONE, security.requests()::guard);
        // Expect: 100-continue (curl sends it for bodies over 1 KB): "100 Continue" goes out when a handler first
        // reads the body, so a request refused before reading (404, 400, 413) never has its body sent at all.
        // Blocking reads and writes wait at most ioTimeout for the client, then fail and close the connection, so
        // stalled clients cannot hold every worker thread (or a response's read snapshot) for ever.
        HttpHandler routes = BlockingReadTimeoutHandler.builder().readTimeout(config.ioTimeout())
                .nextHandler(BlockingWriteTimeoutHandler.builder().writeTimeout(config.ioTimeout())
                        .nextHandler(clusterAware(node, table.build())).build()).build();
        var shutdownHandler = Handlers.gracefulShutdown(Handlers.httpContinueRead(routes));
        var stopping = new java.util.concurrent.atomic.AtomicBoolean();
        // Outermost: once close() began, refuse new requests with the API's JSON 503 (Undertow's own is bodiless).
        HttpHandler gate = exchange -> {
            if (stopping.get()) {
                exchange.setPersistent(false);
                ErrorResponder.respond(exchange, ApiError.DATABASE_UNAVAILABLE,
                        "the server is shutting down; retry against another node or after it restarts");
                return;
            }
            shutdownHandler.handleRequest(exchange);
        };
        int cores = Runtime.getRuntime().availableProcessors();
        // One option map for Undertow's listeners and ours (HTTPS): both run the same HTTP protocol code.
        OptionMap serverOptions = OptionMap.builder()
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, 60 * 1000) // Undertow's default, stated for both
                .set(UndertowOptions.BUFFER_PIPELINED_DATA, true) // as Undertow sets on its own HTTP listeners
                // Undertow refuses more than 1000 query parameters by default; a multi-id GET may carry 1024 ids.
                .set(UndertowOptions.MAX_PARAMETERS, 2 * DocumentLimits.MAX_IDS_PER_GET)
                // Undertow's own body cap (2 MiB by default, answered with a bodiless 400) is lifted: the body reader
                // enforces --max-body-size with a JSON 413, and bulk_insert streams without a total limit.
                .set(UndertowOptions.MAX_ENTITY_SIZE, Long.MAX_VALUE)
                // Request latency for /metrics: one nanoTime per request, taken by Undertow as the request starts.
                .set(UndertowOptions.RECORD_REQUEST_START_TIME, requestMetrics)
                // A client that opens a connection and never finishes its request headers is cut off too.
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) config.ioTimeout().toMillis())
                .getMap();
        ByteBufferPool buffers = new DefaultByteBufferPool(true, 16 * 1024, -1, 4);
        Undertow.Builder builder = Undertow.builder();
        security.addListeners(builder, config);
        builder.setIoThreads(Math.max(2, cores))
                .setWorkerThreads(config.effectiveWorkerThreads())
                .setByteBufferPool(buffers)
                .setHandler(gate);
        for (Option<?> option : serverOptions) {
            copyOption(builder, serverOptions, option);
        }
        Undertow undertow = builder.build();
        HttpsListener https;
        try {
            undertow.start();
            try {
                https = security.startHttpsListener(undertow, config, httpsSocketOptions(undertow), serverOptions,
                        buffers, gate);
            } catch (IOException | RuntimeException e) {
                undertow.stop();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            scratch.close();
            throw new IOException("cannot listen on " + config.bind() + ":" + config.port() + ": "
                    + rootMessage(e) + " (is another process using the port? choose another with --port)", e);
        }
        try {
            security.open();
            registry.startLoading();
            registry.awaitLoaded();
            if (node != null) {
                node.start(); // after every local database is attached: each group's state machine needs its store
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(https);
            undertow.stop();
            closeQuietly(node);
            registry.close();
            closeQuietly(clusterRoutes);
            closeQuietly(peers);
            scratch.close();
            throw e;
        }
        BlitDbServer server = new BlitDbServer(config, undertow, shutdownHandler, stopping, registry, security,
                table.routes(), budget, scratch);
        server.https = https;
        server.raftNode = node;
        server.peerClient = peers;
        server.clusterRoutes = clusterRoutes;
        return server;
    }

    /** Where large request bodies are spooled. */
    public ScratchSpace scratchSpace() {
        return scratch;
    }

    /** The server-wide budget of heap for large requests in flight. */
    public LargeRequestBudget largeRequestBudget() {
        return budget;
    }

    /** Every route of this server as {@code "METHOD /template"} (the authorization table must cover them all). */
    public List<String> routes() {
        return routes;
    }

    /** The security store (principals, audit log) of this server. */
    public SecurityStore securityStore() {
        return security.store();
    }

    /** The TLS listener's certificate source, or null without TLS. */
    public ServerTls tls() {
        return security.tls();
    }

    /** The port of the extra plain loopback listener, or -1 when there is none. */
    public int plainLoopbackPort() {
        if (https == null || config.security().plainLoopbackPort() < 0) {
            return -1;
        }
        return ((InetSocketAddress) undertow.getListenerInfo().getFirst().getAddress()).getPort();
    }

    /** The databases this server serves. */
    public DatabaseRegistry databases() {
        return registry;
    }

    /** The port actually bound: differs from the configured one when that was 0. */
    public int port() {
        if (https != null) {
            return https.address().getPort();
        }
        return ((InetSocketAddress) undertow.getListenerInfo().getFirst().getAddress()).getPort();
    }

    public String url() {
        return config.url(port());
    }

    public ServerConfig config() {
        return config;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopping.set(true);
        shutdownHandler.shutdown();
        try {
            shutdownHandler.awaitShutdown(SHUTDOWN_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(https);
        undertow.stop();
        // Raft first: its state machines write into the stores, which the registry closes next.
        closeQuietly(raftNode);
        registry.close();
        closeQuietly(clusterRoutes);
        closeQuietly(peerClient);
        security.close();
        try {
            scratch.close();
        } catch (IOException e) {
            System.getLogger(BlitDbServer.class.getName()).log(System.Logger.Level.WARNING,
                    "could not delete the scratch file " + scratch.path() + ": " + e.getMessage());
        }
        if (onClose != null) {
            try {
                onClose.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the server failed", e);
            }
        }
    }

    private static <T> void copyOption(Undertow.Builder builder, OptionMap options, Option<T> option) {
        builder.setServerOption(option, options.get(option));
    }

    /** The socket options Undertow gives its own listeners (Undertow.start), for the HTTPS one next to them. */
    private static OptionMap httpsSocketOptions(Undertow undertow) {
        return OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, undertow.getWorker().getIoThreadCount())
                .set(Options.TCP_NODELAY, true)
                .set(Options.REUSE_ADDRESSES, true)
                .set(Options.BALANCING_TOKENS, 1)
                .set(Options.BALANCING_CONNECTIONS, 2)
                .set(Options.BACKLOG, 1000)
                .getMap();
    }

    /** On a cluster node the routes sit behind the Raft-Applied-Index / linearizable-read handler. */
    private static HttpHandler clusterAware(RaftNode node, HttpHandler routes) {
        return node == null ? routes : new ClusterReadHandler(node, routes);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            System.getLogger(BlitDbServer.class.getName()).log(System.Logger.Level.WARNING, "closing " + c + " failed", e);
        }
    }

    /** The Raft node of a cluster server, or null for a single server. */
    public RaftNode raftNode() {
        return raftNode;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
