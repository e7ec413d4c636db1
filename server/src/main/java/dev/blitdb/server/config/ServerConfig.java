package dev.blitdb.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The server's effective configuration: what {@link ServerConfigParser} made of the command line and the
 * {@code BLITDB_*} environment variables.
 *
 * @param bind                 the address to listen on; loopback unless TLS is configured or
 *                             {@code allowUnsecuredPublic}
 * @param port                 the TCP port; 0 asks the OS for a free one (tests use it)
 * @param dataDir              the folder that holds one sub-folder per database
 * @param allowUnsecuredPublic whether a non-loopback bind is allowed without TLS and authentication (the loudly
 *                             logged opt-out of the secure default)
 * @param workerThreads        threads for blocking work (reading bodies, waiting for commits, streaming reads);
 *                             0 = {@link #defaultWorkerThreads()}
 * @param maxBodyBytes         the largest request body accepted; larger ones get 413 without being read
 * @param ioTimeout            how long one blocking read of a request body or write of a response may wait for
 *                             the client; then the connection is closed and the worker thread freed, so stalled
 *                             clients cannot take every worker (nor hold a read snapshot open)
 * @param largeRequestBudget   bytes of heap that large requests in flight may hold together (admission control;
 *                             over it a request waits briefly, then gets 503 ServerBusy); 0 = a quarter of the
 *                             maximum heap
 * @param security             TLS, authentication and bootstrap settings
 */
public record ServerConfig(String bind, int port, Path dataDir, boolean allowUnsecuredPublic, int workerThreads,
                           long maxBodyBytes, Duration ioTimeout, long largeRequestBudget, SecurityOptions security) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final Path DEFAULT_DATA_DIR = Path.of("data");
    /** 32 MiB: big enough for any sensible document or bulk_docs request, small enough for a 256 MB heap. */
    public static final long DEFAULT_MAX_BODY_BYTES = 32L << 20;
    /** 60 s: generous for a slow network, short enough that stalled clients give their workers back. */
    public static final Duration DEFAULT_IO_TIMEOUT = Duration.ofSeconds(60);

    public ServerConfig {
        if (workerThreads < 0 || workerThreads > 4096) {
            throw new IllegalArgumentException("worker threads must be 0 (automatic) to 4096, got " + workerThreads);
        }
        if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("max body size must be 1.." + (Integer.MAX_VALUE - 16) + " bytes, got "
                    + maxBodyBytes);
        }
        if (ioTimeout.toMillis() < 100 || ioTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("I/O timeout must be between 100 ms and 1 hour, got " + ioTimeout);
        }
        if (largeRequestBudget < 0) {
            throw new IllegalArgumentException("large-request budget must be 0 (automatic) or more bytes, got "
                    + largeRequestBudget);
        }
        if (security == null) {
            security = SecurityOptions.NONE;
        }
    }

    /** No TLS, no authentication (loopback development and most tests). */
    public ServerConfig(String bind, int port, Path dataDir, boolean allowUnsecuredPublic, int workerThreads,
                        long maxBodyBytes, Duration ioTimeout, long largeRequestBudget) {
        this(bind, port, dataDir, allowUnsecuredPublic, workerThreads, maxBodyBytes, ioTimeout, largeRequestBudget,
                SecurityOptions.NONE);
    }

    /** Automatic large-request budget. */
    public ServerConfig(String bind, int port, Path dataDir, boolean allowUnsecuredPublic, int workerThreads,
                        long maxBodyBytes, Duration ioTimeout) {
        this(bind, port, dataDir, allowUnsecuredPublic, workerThreads, maxBodyBytes, ioTimeout, 0);
    }

    /** This configuration with other security settings. */
    public ServerConfig withSecurity(SecurityOptions options) {
        return new ServerConfig(bind, port, dataDir, allowUnsecuredPublic, workerThreads, maxBodyBytes, ioTimeout,
                largeRequestBudget, options);
    }

    /** Whether {@link #bind} is a loopback address (only this machine can connect). */
    public boolean loopbackBind() {
        try {
            return java.net.InetAddress.getByName(bind).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Whether every request must carry a credential. */
    public boolean authenticationEnforced() {
        return security.authenticationEnforced(loopbackBind(), allowUnsecuredPublic);
    }

    /** The large-request budget in effect. */
    public long effectiveLargeRequestBudget() {
        return largeRequestBudget == 0 ? dev.blitdb.server.http.body.LargeRequestBudget.defaultCapacity()
                : largeRequestBudget;
    }

    /** Default I/O timeout. */
    public ServerConfig(String bind, int port, Path dataDir, boolean allowUnsecuredPublic, int workerThreads,
                        long maxBodyBytes) {
        this(bind, port, dataDir, allowUnsecuredPublic, workerThreads, maxBodyBytes, DEFAULT_IO_TIMEOUT);
    }

    /** Automatic worker threads and the default body limit. */
    public ServerConfig(String bind, int port, Path dataDir, boolean allowUnsecuredPublic) {
        this(bind, port, dataDir, allowUnsecuredPublic, 0, DEFAULT_MAX_BODY_BYTES);
    }

    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_BIND, DEFAULT_PORT, DEFAULT_DATA_DIR, false);
    }

    /**
     * Worker threads when none are configured: {@code max(64, 16 × cores)}. Most of a worker's life is spent
     * waiting for the group commit that carries its write (a few ms), not computing, so the pool must be as large
     * as the number of writes that should share one commit; 64 keeps a 64-connection write load fully merged on a
     * 2-core machine. An idle platform thread costs its touched stack (tens of KB), not CPU.
     */
    public static int defaultWorkerThreads() {
        return Math.max(64, 16 * Runtime.getRuntime().availableProcessors());
    }

    /** The worker pool size in effect. */
    public int effectiveWorkerThreads() {
        return workerThreads == 0 ? defaultWorkerThreads() : workerThreads;
    }

    /** The base URL clients use; an IPv6 literal is bracketed. */
    public String url(int actualPort) {
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        return (security.tls() == null ? "http://" : "https://") + host + ":" + actualPort;
    }

    /** One line per setting, as printed at start-up. */
    public String describe() {
        return "  bind                   " + bind + "\n"
                + "  port                   " + (port == 0 ? "0 (any free port)" : Integer.toString(port)) + "\n"
                + "  data dir               " + dataDir.toAbsolutePath().normalize() + "\n"
                + "  allow unsecured public " + allowUnsecuredPublic + "\n"
                + "  worker threads         " + effectiveWorkerThreads() + "\n"
                + "  max body size          " + maxBodyBytes + " bytes\n"
                + "  I/O timeout            " + ioTimeout.toMillis() / 1000.0 + " s\n"
                + "  large request budget   " + effectiveLargeRequestBudget() + " bytes"
                + (largeRequestBudget == 0 ? " (a quarter of the max heap)" : "") + "\n"
                + "  TLS                    " + (security.tls() == null ? "off" : security.tls().files()) + "\n"
                + "  authentication         " + (authenticationEnforced() ? "required" : "off") + "\n"
                + "  bootstrap API key      " + (security.bootstrapApiKey() == null ? "none" : "given") + "\n"
                + "  plain loopback port    " + (security.plainLoopbackPort() < 0 ? "none"
                        : Integer.toString(security.plainLoopbackPort()));
    }
}
