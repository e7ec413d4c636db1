package dev.blitdb.server;

import dev.blitdb.server.config.ServerConfig;
import dev.blitdb.server.http.HealthHandler;
import dev.blitdb.server.http.routing.Blocking;
import dev.blitdb.server.http.routing.RouteTable;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.util.Methods;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;

/**
 * One running BlitDB server: the Undertow listener and everything it serves. {@link #start} returns once the
 * port is bound; {@link #close} stops accepting, lets in-flight requests finish (up to a grace period), then
 * releases everything.
 */
public final class BlitDbServer implements AutoCloseable {

    /** How long {@link #close} waits for in-flight requests before stopping anyway. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

    private final ServerConfig config;
    private final Undertow undertow;
    private final GracefulShutdownHandler shutdownHandler;
    private volatile boolean closed;

    private BlitDbServer(ServerConfig config, Undertow undertow, GracefulShutdownHandler shutdownHandler) {
        this.config = config;
        this.undertow = undertow;
        this.shutdownHandler = shutdownHandler;
    }

    public static BlitDbServer start(ServerConfig config) throws IOException {
        Files.createDirectories(config.dataDir());
        var health = Blocking.nonBlocking(new HealthHandler());
        var routes = new RouteTable()
                .add(Methods.GET, "/health", health)
                .add(Methods.HEAD, "/health", health)
                .build();
        var shutdownHandler = Handlers.gracefulShutdown(routes);
        // Small machines: IO threads = cores (min 2); blocking work gets its own pool (sized in the server issue).
        int cores = Runtime.getRuntime().availableProcessors();
        Undertow undertow = Undertow.builder()
                .addHttpListener(config.port(), config.bind())
                .setIoThreads(Math.max(2, cores))
                .setWorkerThreads(Math.max(8, cores * 8))
                .setHandler(shutdownHandler)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            throw new IOException("cannot listen on " + config.bind() + ":" + config.port() + ": "
                    + rootMessage(e) + " (is another process using the port? choose another with --port)", e);
        }
        return new BlitDbServer(config, undertow, shutdownHandler);
    }

    /** The port actually bound: differs from the configured one when that was 0. */
    public int port() {
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
        shutdownHandler.shutdown();
        try {
            shutdownHandler.awaitShutdown(SHUTDOWN_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        undertow.stop();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
