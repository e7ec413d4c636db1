package dev.blitdb.server;

import dev.blitdb.server.config.ConfigException;
import dev.blitdb.server.config.ServerConfig;
import dev.blitdb.server.config.ServerConfigParser;
import dev.blitdb.server.http.security.RequestSecurity;
import dev.blitdb.server.security.auth.Clearance;
import dev.blitdb.server.security.auth.FailedAuthentications;
import dev.blitdb.server.security.store.SecurityStore;
import dev.blitdb.server.security.tls.ServerTls;
import dev.blitdb.server.security.tls.TlsEngine;
import dev.blitdb.server.http.tls.HttpsListener;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpHandler;
import org.xnio.OptionMap;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * A server's security at start-up: refuses an insecure public bind, opens the security store, registers the
 * bootstrap key, loads TLS, and adds the listeners (HTTPS with HTTP/2 when TLS is configured, plus the optional
 * plain loopback one). Logs loudly when a server is reachable from other machines without protection.
 */
final class ServerSecurity implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ServerSecurity.class.getName());

    private final ServerConfig config;
    private final ServerTls tls;
    private final RequestSecurity requests;
    private SecurityStore store;

    private ServerSecurity(ServerConfig config, ServerTls tls, RequestSecurity requests) {
        this.config = config;
        this.tls = tls;
        this.requests = requests;
    }

    /** Checks the bind and loads TLS; {@link #open} opens the store once the listener is bound. */
    static ServerSecurity start(ServerConfig config) throws IOException {
        return start(config, Map.of());
    }

    /**
     * As {@link #start(ServerConfig)}; {@code clusterNodes} (a cluster node's peers' certificates by thumbprint)
     * are accepted in the TLS handshake and authenticate as cluster-node principals, next to the registered ones.
     */
    static ServerSecurity start(ServerConfig config, Map<String, dev.blitdb.server.security.auth.Principal> clusterNodes)
            throws IOException {
        var options = config.security();
        try {
            ServerConfigParser.checkBind(config.bind(), config.allowUnsecuredPublic(), options.tls() != null);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        boolean enforced = config.authenticationEnforced();
        var failures = new FailedAuthentications(FailedAuthentications.DEFAULT_MAX_FAILURES,
                FailedAuthentications.DEFAULT_WINDOW_MILLIS);
        RequestSecurity[] requests = new RequestSecurity[1];
        ServerTls tls = options.tls() == null ? null
                : ServerTls.start(options.tls(), thumbprint -> clusterNodes.containsKey(thumbprint)
                        || requests[0].snapshot().certificate(thumbprint) != null, options.tlsEngine());
        requests[0] = new RequestSecurity(enforced, failures, tls, clusterNodes);
        if (!config.loopbackBind() && !enforced) {
            LOG.log(System.Logger.Level.WARNING, "SECURITY: listening on " + config.bind() + " (reachable from "
                    + "other machines) WITHOUT AUTHENTICATION" + (tls == null ? " AND WITHOUT TLS" : "")
                    + " because of --allow-unsecured-public: anyone who reaches this port can read, change or drop "
                    + "every database. Use it only behind a firewall or an authenticating proxy.");
        }
        return new ServerSecurity(config, tls, requests[0]);
    }

    /**
     * Opens the security store in the data folder (after the listener is bound, so a taken port is reported as
     * such and not as a locked store) and registers the bootstrap key.
     */
    void open() throws IOException {
        SecurityStore opened = SecurityStore.open(config.dataDir());
        try {
            bootstrap(opened, config.security().bootstrapApiKey());
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        if (requests.enforced() && opened.snapshot().isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "authentication is required but no principal is registered, so "
                    + "every request but /health gets 401: set BLITDB_BOOTSTRAP_API_KEY or "
                    + "--bootstrap-api-key-file, or run './blitdb setup' to register an admin certificate");
        }
        store = opened;
        requests.attach(opened);
    }

    private static void bootstrap(SecurityStore store, String key) {
        if (key == null) {
            return;
        }
        if (!store.snapshot().isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "bootstrap API key ignored: the security store has principals already");
            return;
        }
        var imported = store.importApiKey(key, "bootstrap", Clearance.CLUSTER_ADMIN, Map.of());
        store.audit().append("server start-up", "local", "register bootstrap API key " + imported.id(), "201");
        LOG.log(System.Logger.Level.INFO, "registered the bootstrap API key (id " + imported.id()
                + ") as ClusterAdmin");
    }

    RequestSecurity requests() {
        return requests;
    }

    SecurityStore store() {
        return store;
    }

    ServerTls tls() {
        return tls;
    }

    /** The main listener when it is plain HTTP, and the optional plain loopback one next to HTTPS. */
    void addListeners(Undertow.Builder builder, ServerConfig config) {
        if (tls == null) {
            builder.addHttpListener(config.port(), config.bind());
            return;
        }
        // HTTP/2 is on with TLS, as it always was (the plain loopback listener next to HTTPS accepts h2c upgrades);
        // the HTTPS listener gets h2 through ALPN whatever this option says.
        builder.setServerOption(UndertowOptions.ENABLE_HTTP2, true);
        int plain = config.security().plainLoopbackPort();
        if (plain >= 0) {
            builder.addHttpListener(plain, "127.0.0.1");
        }
    }

    /**
     * The HTTPS listener (HTTP/1.1 and HTTP/2 over ALPN), on Undertow's worker and with its protocol code, over our
     * own TLS conduit instead of Undertow's (server/SECURITY.md, "The HTTPS listener"); null without TLS.
     */
    HttpsListener startHttpsListener(Undertow undertow, ServerConfig config, OptionMap socketOptions,
                                     OptionMap undertowOptions, ByteBufferPool buffers, HttpHandler root)
            throws IOException {
        if (tls == null) {
            return null;
        }
        boolean jdk = tls.engine() == TlsEngine.JDK;
        // Netty's engine refuses setEnableSessionCreation(true); BoringSSL creates sessions (and resumes them from
        // tickets) anyway. Its ALPN list is set on its context (BoringSslContext), JSSE's on each engine.
        var engines = new HttpsListener.Engines(tls.listenerContext(), ServerTls.PROTOCOLS, tls.cipherSuites(),
                jdk, jdk);
        return HttpsListener.start(undertow.getWorker(), new InetSocketAddress(config.bind(), config.port()),
                socketOptions, undertowOptions, buffers, root, engines, config.ioTimeout());
    }

    @Override
    public void close() {
        if (tls != null) {
            tls.close();
        }
        try {
            if (store != null) {
                store.close();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "closing the security store failed", e);
        }
    }
}
