package dev.blitdb.client;

import dev.blitdb.server.BlitDbServer;
import dev.blitdb.server.config.ServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real BlitDB server in this JVM on an ephemeral loopback port over a data folder; restartable on the same
 * folder. Each test gets its own database ({@link #newStore}) so tests sharing a server never see each other.
 */
public final class TestServer implements AutoCloseable {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path dataDir;
    private BlitDbServer server;

    public TestServer(Path dataDir) {
        this.dataDir = dataDir;
        this.server = start(dataDir);
    }

    private static BlitDbServer start(Path dataDir) {
        try {
            return BlitDbServer.start(new ServerConfig("127.0.0.1", 0, dataDir, false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return server.url();
    }

    /** Stops the server and starts a new one on the same data folder (a new port). */
    public void restart() {
        server.close();
        server = start(dataDir);
    }

    /** A store on a fresh database of this server. */
    public DocumentStore newStore() {
        String name = "db" + DATABASES.incrementAndGet();
        try (var admin = new DocumentStore(url(), name)) {
            admin.maintenance().server().createDatabase(name);
        }
        return new DocumentStore(url(), name);
    }

    @Override
    public void close() {
        server.close();
    }
}
