package dev.blitdb.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blitdb.server.security.TlsFixture;
import dev.blitdb.server.security.auth.ApiKeys;
import dev.blitdb.server.security.setup.Certificates;
import dev.blitdb.server.security.tls.Pem;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A secured three-node cluster: HTTPS with {@code --require-auth} on every node, Raft over mutual TLS, the nodes'
 * certificates pinned by {@code --cluster-certs}. It replicates and fans out like a plain one (the nodes' own HTTP
 * calls authenticate as cluster-node principals), and a caller without one of the pinned certificates — none, or
 * one from the very same CA — cannot get through the TLS handshake of a node's Raft port.
 */
class ClusterSecurityTest extends ClusterTestBase {

    private Certificates.Issued ca;
    private final Map<String, Certificates.Issued> nodeCerts = new LinkedHashMap<>();

    @Override
    ClusterProcesses newCluster(Path root) throws Exception {
        ClusterProcesses c = new ClusterProcesses(root, "A", "B", "C");
        Path certs = Files.createDirectories(root.resolve("certs"));
        Instant now = Instant.now();
        ca = Certificates.certificateAuthority("BlitDB cluster test CA", now.minus(1, ChronoUnit.DAYS),
                now.plus(30, ChronoUnit.DAYS));
        StringBuilder bundle = new StringBuilder();
        for (String id : c.nodes.keySet()) {
            Certificates.Issued cert = Certificates.issue(ca, "node-" + id, Certificates.Purpose.SERVER,
                    List.of("localhost", "127.0.0.1"), now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS));
            nodeCerts.put(id, cert);
            Files.writeString(certs.resolve(id + ".crt"), Pem.encode(cert.certificate(), ca.certificate()));
            Files.writeString(certs.resolve(id + ".key"), Pem.encode(cert.privateKey()));
            bundle.append(Pem.encode(cert.certificate()));
        }
        Files.writeString(certs.resolve("nodes.pem"), bundle);
        String key = ApiKeys.generate().text();
        Files.writeString(certs.resolve("admin.key"), key);
        for (String id : c.nodes.keySet()) {
            c.arguments(id, List.of("--tls-cert", certs.resolve(id + ".crt").toString(),
                    "--tls-key", certs.resolve(id + ".key").toString(),
                    "--cluster-certs", certs.resolve("nodes.pem").toString(), "--require-auth",
                    "--bootstrap-api-key-file", certs.resolve("admin.key").toString()));
        }
        c.secure(TlsFixture.context(ca.certificate(), null), Map.of("Authorization", "Bearer " + key));
        return c;
    }

    @Test
    void shouldReplicateAndFanOutBetweenNodesThatAuthenticateByCertificate() throws Exception {
        // Creating a database from one node reaches every node: node-to-node HTTPS, authenticated by certificate.
        String any = cluster.nodes.keySet().iterator().next();
        HttpResponse<String> created = cluster.send(any, "PUT", "/admin/databases?name=Vault", null, noHeaders());
        assertEquals(201, created.statusCode(), created.body());
        for (String id : cluster.nodes.keySet()) {
            assertEquals("Done", json(created).path("Nodes").path(id).asText(), created.body());
        }
        HttpResponse<String> put = writeToLeader(cluster, "Vault", "PUT", "/databases/Vault/docs?id=secrets/1",
                "{\"Kept\":\"safe\"}");
        assertEquals(201, put.statusCode(), put.body());
        for (String id : cluster.nodes.keySet()) {
            HttpResponse<String> r = cluster.get(id, "/databases/Vault/docs?id=secrets/1&consistency=linearizable");
            assertEquals(200, r.statusCode(), id + ": " + r.body());
            assertEquals(json(put).path("ChangeVector").asText(),
                    json(r).path("@metadata").path("@change-vector").asText());
        }
        awaitConverged(cluster, "Vault", Duration.ofSeconds(30));
        List<String> reference = contents(cluster, "A", "Vault");
        for (String id : cluster.nodes.keySet()) {
            assertEquals(reference, contents(cluster, id, "Vault"), "node " + id);
        }
        // The topology is gathered from every node over HTTPS and names HTTPS URLs.
        JsonNode topology = topology(cluster);
        for (JsonNode n : topology.path("Nodes")) {
            assertEquals("Up", n.path("State").asText(), topology.toString());
            assertTrue(n.path("Url").asText().startsWith("https://"), topology.toString());
        }
        // And authentication is really on: no credential, no answer.
        var anonymous = java.net.http.HttpClient.newBuilder().sslContext(TlsFixture.context(ca.certificate(), null))
                .build();
        HttpResponse<String> r = anonymous.send(HttpRequest.newBuilder(
                java.net.URI.create(cluster.url(any) + "/databases/Vault/docs?id=secrets/1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode(), r.body());
        anonymous.close();
    }

    @Test
    void shouldRefuseRaftConnectionsFromCallersWithoutANodeCertificate() throws Exception {
        int raftPort = cluster.nodes.get("A").raftPort();
        Instant now = Instant.now();
        Certificates.Issued sameCa = Certificates.issue(ca, "node-X", Certificates.Purpose.SERVER,
                List.of("127.0.0.1"), now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS));
        // The control: node B's certificate gets an HTTP/2 answer (the server's SETTINGS frame) from the gRPC server.
        assertTrue(http2Answers(raftPort, TlsFixture.context(ca.certificate(), nodeCerts.get("B"))),
                "a node's certificate must get through");
        assertTrue(!http2Answers(raftPort, TlsFixture.context(ca.certificate(), null)),
                "no client certificate got an answer from the Raft port");
        assertTrue(!http2Answers(raftPort, TlsFixture.context(ca.certificate(), sameCa)),
                "a certificate of the same CA that is not a node's got an answer from the Raft port");
    }

    /** Whether a TLS connection with {@code client} to a Raft port gets the gRPC server's first HTTP/2 frame. */
    private static boolean http2Answers(int port, SSLContext client) throws IOException {
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            SSLParameters params = socket.getSSLParameters();
            params.setApplicationProtocols(new String[] {"h2"});
            socket.setSSLParameters(params);
            socket.startHandshake();
            socket.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS frame
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] header = in.readNBytes(9);
            return header.length == 9 && header[3] == 4; // a SETTINGS frame from the server
        } catch (SSLException | SocketException e) {
            return false; // handshake refused (certificate_required / bad_certificate) or connection reset
        } catch (java.net.SocketTimeoutException e) {
            fail("the Raft port neither answered nor refused within 10 s");
            return false;
        }
    }
}
