package dev.blitdb.client;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** One real server per test class, on an ephemeral loopback port, with its data in a temporary folder. */
abstract class ServerTestBase {

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void startServer() {
        server = new TestServer(dir);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }
}
