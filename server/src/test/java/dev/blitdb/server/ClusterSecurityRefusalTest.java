package dev.blitdb.server;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A cluster node refuses TLS and authentication until node-to-node calls carry credentials (README, cluster). */
class ClusterSecurityRefusalTest {

    private static final List<String> CLUSTER = List.of("--node-id", "A", "--cluster",
            "A=127.0.0.1:18480:19480,B=127.0.0.1:18481:19481,C=127.0.0.1:18482:19482");

    @Test
    void shouldRefuseAClusterNodeWithRequireAuthWithStatus2() {
        var args = new java.util.ArrayList<>(CLUSTER);
        args.add("--require-auth");
        var err = new ByteArrayOutputStream();
        int status = BlitDbMain.run(args, Map.of(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(BlitDbMain.EXIT_USAGE, status);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("--cluster cannot be combined with TLS or authentication"), message);
    }

    @Test
    void shouldRefuseAClusterNodeWithAuthFromTheEnvironment() {
        var err = new ByteArrayOutputStream();
        int status = BlitDbMain.run(CLUSTER, Map.of("BLITDB_REQUIRE_AUTH", "true"),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(BlitDbMain.EXIT_USAGE, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("nodes call each other over plain HTTP"));
    }
}
