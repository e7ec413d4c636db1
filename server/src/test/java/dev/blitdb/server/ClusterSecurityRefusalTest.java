package dev.blitdb.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster security settings a node refuses at start-up, with status 2 and a message saying what is missing
 * (a secured cluster that works: {@code cluster.ClusterSecurityTest}): authentication without TLS (nodes prove who
 * they are by certificate), TLS without {@code --cluster-certs}, and {@code --cluster-certs} on a single server.
 */
class ClusterSecurityRefusalTest {

    private static final List<String> CLUSTER = List.of("--node-id", "A", "--cluster",
            "A=127.0.0.1:18480:19480,B=127.0.0.1:18481:19481,C=127.0.0.1:18482:19482");

    @TempDir
    Path tmp;

    private record Run(int status, String err) {
    }

    private static Run run(List<String> args, Map<String, String> env) {
        var err = new ByteArrayOutputStream();
        int status = BlitDbMain.run(args, env, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseAuthenticationWithoutTlsOnAClusterNode() {
        var args = new ArrayList<>(CLUSTER);
        args.add("--require-auth");
        Run r = run(args, Map.of());
        assertEquals(BlitDbMain.EXIT_USAGE, r.status());
        assertTrue(r.err().contains("a cluster node with authentication needs TLS"), r.err());
        Run fromEnv = run(CLUSTER, Map.of("BLITDB_REQUIRE_AUTH", "true"));
        assertEquals(BlitDbMain.EXIT_USAGE, fromEnv.status());
        assertTrue(fromEnv.err().contains("nodes authenticate each other by certificate"), fromEnv.err());
    }

    @Test
    void shouldRefuseTlsWithoutTheClusterCertificates() throws Exception {
        var tls = new dev.blitdb.server.security.TlsFixture(tmp);
        var args = new ArrayList<>(CLUSTER);
        args.addAll(List.of("--tls-cert", tls.certFile.toString(), "--tls-key", tls.keyFile.toString(),
                "--data-dir", tmp.resolve("data").toString()));
        Run r = run(args, Map.of());
        assertEquals(BlitDbMain.EXIT_USAGE, r.status());
        assertTrue(r.err().contains("a cluster node with TLS needs --cluster-certs"), r.err());
    }

    @Test
    void shouldRefuseClusterCertificatesOnASingleServer() throws Exception {
        Path pem = Files.writeString(tmp.resolve("nodes.pem"), "");
        Run r = run(List.of("--cluster-certs", pem.toString()), Map.of());
        assertEquals(BlitDbMain.EXIT_USAGE, r.status());
        assertTrue(r.err().contains("--cluster-certs is for cluster nodes"), r.err());
    }

    @Test
    void shouldRefuseANodeWhoseOwnCertificateIsNotAmongTheClusterCertificates() throws Exception {
        var tls = new dev.blitdb.server.security.TlsFixture(tmp);
        Path pem = Files.writeString(tmp.resolve("nodes.pem"), dev.blitdb.server.security.tls.Pem.encode(
                tls.client("someone else").certificate()));
        var args = new ArrayList<>(CLUSTER);
        args.addAll(List.of("--tls-cert", tls.certFile.toString(), "--tls-key", tls.keyFile.toString(),
                "--cluster-certs", pem.toString(), "--data-dir", tmp.resolve("data").toString()));
        Run r = run(args, Map.of());
        assertEquals(BlitDbMain.EXIT_START_FAILED, r.status(), r.err());
        assertTrue(r.err().contains("is not in --cluster-certs"), r.err());
    }
}
