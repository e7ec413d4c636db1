package dev.blitdb.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blitdb.server.BlitDbServer;
import dev.blitdb.server.config.SecurityOptions;
import dev.blitdb.server.config.ServerConfig;
import dev.blitdb.server.security.auth.Clearance;
import dev.blitdb.server.security.setup.Certificates;
import dev.blitdb.server.security.tls.Pem;
import dev.blitdb.server.security.tls.TlsFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Authentication and authorization end to end over real TLS on loopback: client certificates and API keys,
 * the 401 / 403 / 429 answers, revocation on the next request, the audit log.
 */
class AuthenticationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String BOOTSTRAP = "admin.0123456789abcdefghijklmnopqrstuvwxyzABCD";

    @TempDir
    Path dir;
    TlsFixture tls;
    BlitDbServer server;
    HttpClient anonymous;

    /** The HTTPS listener's engine: the default; {@link BoringSslAuthenticationTest} runs the same on BoringSSL. */
    dev.blitdb.server.security.tls.TlsEngine engine() {
        return dev.blitdb.server.security.tls.TlsEngine.JDK;
    }

    @BeforeEach
    void start() throws IOException {
        tls = new TlsFixture(dir.resolve("certs"));
        server = BlitDbServer.start(new ServerConfig("127.0.0.1", 0, dir.resolve("data"), false)
                .withSecurity(new SecurityOptions(new TlsFiles.PemFiles(tls.certFile, tls.keyFile), true, BOOTSTRAP, -1,
                        engine())));
        assertEquals(engine(), server.tls().engine());
        anonymous = tls.http(null);
    }

    @AfterEach
    void stop() {
        anonymous.close();
        server.close();
    }

    HttpRequest.Builder at(String path, String key) {
        var builder = HttpRequest.newBuilder(URI.create(server.url() + path));
        return key == null ? builder : builder.header("Authorization", "Bearer " + key);
    }

    HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> put(String path, String key, String body) throws IOException, InterruptedException {
        return send(anonymous, at(path, key).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    String createKey(String body) throws Exception {
        var response = put("/admin/security/api-keys", BOOTSTRAP, body);
        assertEquals(201, response.statusCode(), response.body());
        JsonNode json = JSON.readTree(response.body());
        String key = json.get("Key").asText();
        assertTrue(key.startsWith(json.get("Id").asText() + "."), response.body());
        assertEquals(12 + 1 + 43, key.length(), "12-digit id, dot, 256-bit base64url secret");
        return key;
    }

    @Test
    void shouldAnswerTheSame401ForAMissingUnknownOrRevokedKey() throws Exception {
        assertEquals(200, send(anonymous, at("/health", null)).statusCode(), "health needs no credential");
        String key = createKey("{\"Name\":\"app\",\"Clearance\":\"User\",\"Databases\":{\"default\":\"ReadWrite\"}}");
        assertEquals(201, put("/databases/default/docs?id=a", key, "{\"A\":1}").statusCode());
        assertEquals(200, send(anonymous, at("/databases/default/docs?id=a", key)).statusCode());

        String id = key.substring(0, key.indexOf('.'));
        char last = key.charAt(key.length() - 1);
        String wrongByOne = key.substring(0, key.length() - 1) + (last == 'A' ? 'B' : 'A');
        var missing = send(anonymous, at("/databases/default/docs?id=a", null));
        var wrong = send(anonymous, at("/databases/default/docs?id=a", wrongByOne));
        var unknownId = send(anonymous, at("/databases/default/docs?id=a", "ffffffffffff" + key.substring(12)));
        assertEquals(204, send(anonymous, at("/admin/security/api-keys?id=" + id, BOOTSTRAP).DELETE()).statusCode());
        var revoked = send(anonymous, at("/databases/default/docs?id=a", key));
        for (var response : new HttpResponse[] {missing, wrong, unknownId, revoked}) {
            assertEquals(401, response.statusCode(), String.valueOf(response.body()));
            assertEquals("Bearer realm=\"BlitDB\"", response.headers().firstValue("WWW-Authenticate").orElse(null));
            JsonNode body = JSON.readTree((String) response.body());
            assertEquals("AuthenticationRequired", body.get("Type").asText());
            assertEquals(JSON.readTree(missing.body()).get("Message"), body.get("Message"),
                    "nothing says whether a key exists");
        }
        var list = send(anonymous, at("/admin/security/api-keys", BOOTSTRAP));
        assertEquals(200, list.statusCode());
        assertTrue(!list.body().contains(key.substring(13)) && !list.body().contains("Hash"), "no secrets listed");
    }

    @Test
    void shouldLetAReadUserReadItsDatabaseOnly() throws Exception {
        assertEquals(201, put("/admin/databases?name=shop", BOOTSTRAP, "").statusCode());
        assertEquals(201, put("/admin/databases?name=hr", BOOTSTRAP, "").statusCode());
        assertEquals(201, put("/databases/shop/docs?id=p1", BOOTSTRAP, "{\"P\":1}").statusCode());
        String reader = createKey("{\"Name\":\"reporting\",\"Clearance\":\"User\",\"Databases\":{\"shop\":\"Read\"}}");

        assertEquals(200, send(anonymous, at("/databases/shop/docs?id=p1", reader)).statusCode());
        assertEquals(200, send(anonymous, at("/databases/SHOP/docs?id=p1", reader)).statusCode(), "names ignore case");
        var write = put("/databases/shop/docs?id=p2", reader, "{}");
        assertEquals(403, write.statusCode(), write.body());
        JsonNode forbidden = JSON.readTree(write.body());
        assertEquals("Forbidden", forbidden.get("Type").asText());
        assertEquals("ReadWrite", forbidden.get("Permission").asText());
        assertEquals("shop", forbidden.get("Database").asText());
        assertTrue(forbidden.get("Message").asText().contains("ReadWrite on database 'shop'"), write.body());

        var other = send(anonymous, at("/databases/hr/docs?id=p1", reader));
        assertEquals(403, other.statusCode(), other.body());
        assertTrue(JSON.readTree(other.body()).get("Message").asText().contains("Read on database 'hr'"), other.body());
        var admin = put("/admin/security/api-keys", reader, "{\"Name\":\"x\",\"Clearance\":\"ClusterAdmin\"}");
        assertEquals(403, admin.statusCode(), "a user cannot make itself an admin");
        var drop = send(anonymous, at("/admin/databases?name=shop", reader).DELETE());
        assertEquals(403, drop.statusCode());

        String operator = createKey("{\"Name\":\"ops\",\"Clearance\":\"Operator\"}");
        assertEquals(200, send(anonymous, at("/databases/hr/stats", operator)).statusCode());
        assertEquals(403, send(anonymous, at("/admin/security/api-keys", operator)).statusCode(),
                "Operator is not security");
    }

    @Test
    void shouldAuthenticateARegisteredClientCertificateUntilItIsDeleted() throws Exception {
        Certificates.Issued alice = tls.client("alice");
        var register = put("/admin/security/certificates", BOOTSTRAP, JSON.writeValueAsString(Map.of(
                "Name", "alice", "Certificate", Pem.encode(alice.certificate()), "Clearance", "User",
                "Databases", Map.of("default", "ReadWrite"))));
        assertEquals(201, register.statusCode(), register.body());
        String thumbprint = JSON.readTree(register.body()).get("Thumbprint").asText();
        assertEquals(Pem.thumbprint(alice.certificate()), thumbprint);

        try (HttpClient client = tls.http(alice)) {
            assertEquals(201, send(client, at("/databases/default/docs?id=c", null)
                    .PUT(HttpRequest.BodyPublishers.ofString("{}"))).statusCode());
            var who = send(client, at("/admin/security/whoami", null));
            assertEquals("alice", JSON.readTree(who.body()).get("Name").asText(), who.body());
            assertEquals(204, send(anonymous, at("/admin/security/certificates?thumbprint=" + thumbprint, BOOTSTRAP)
                    .DELETE()).statusCode());
            // Same client, same keep-alive connection: refused on the very next request.
            var after = send(client, at("/databases/default/docs?id=c", null));
            assertEquals(401, after.statusCode(), after.body());
        }
    }

    @Test
    void shouldReadAClientCertificateOncePerHttp2ConnectionNotPerStream() throws Exception {
        Certificates.Issued bob = tls.client("bob");
        assertEquals(201, put("/admin/security/certificates", BOOTSTRAP, JSON.writeValueAsString(Map.of(
                "Name", "bob", "Certificate", Pem.encode(bob.certificate()), "Clearance", "Operator"))).statusCode());
        double before = certificateReads();
        try (HttpClient client = TlsFixture.http(TlsFixture.context(tls.ca.certificate(), bob),
                HttpClient.Version.HTTP_2)) {
            for (int i = 0; i < 20; i++) { // 20 streams on one HTTP/2 connection
                var who = send(client, at("/admin/security/whoami", null));
                assertEquals(HttpClient.Version.HTTP_2, who.version());
                assertEquals("bob", JSON.readTree(who.body()).get("Name").asText(), who.body());
            }
        }
        double reads = certificateReads() - before;
        assertTrue(reads >= 1 && reads <= 2, "the certificate was read " + reads + " times for 20 requests");
    }

    private double certificateReads() throws Exception {
        var metrics = send(anonymous, at("/metrics", BOOTSTRAP));
        assertEquals(200, metrics.statusCode(), metrics.body());
        return metrics.body().lines().filter(l -> l.startsWith("blitdb_tls_peer_certificate_reads_total "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no blitdb_tls_peer_certificate_reads_total in /metrics"));
    }

    @Test
    void shouldRefuseUnregisteredAndExpiredClientCertificatesInTheHandshake() throws Exception {
        Certificates.Issued unknownCa = Certificates.certificateAuthority("unknown CA",
                Instant.now().minus(1, ChronoUnit.DAYS), Instant.now().plus(1, ChronoUnit.DAYS));
        Certificates.Issued stranger = TlsFixture.client(unknownCa, "stranger", Instant.now().plus(1, ChronoUnit.DAYS));
        try (HttpClient client = tls.http(stranger)) {
            assertThrows(IOException.class, () -> send(client, at("/databases/default/docs?id=c", null)));
        }
        Certificates.Issued expired = TlsFixture.client(tls.ca, "old", Instant.now().minus(1, ChronoUnit.HOURS));
        // Registered directly (the route refuses expired certificates) so only expiry can refuse it.
        server.securityStore().putCertificate("old", expired.certificate(), Clearance.CLUSTER_ADMIN, Map.of());
        try (HttpClient client = tls.http(expired)) {
            assertThrows(IOException.class, () -> send(client, at("/databases/default/docs?id=c", null)));
        }
        Certificates.Issued valid = tls.client("valid");
        server.securityStore().putCertificate("valid", valid.certificate(), Clearance.CLUSTER_ADMIN, Map.of());
        try (HttpClient client = tls.http(valid)) {
            assertEquals(404, send(client, at("/databases/default/docs?id=c", null)).statusCode(),
                    "the same set-up with a valid registered certificate gets through");
        }
    }

    @Test
    void shouldAnswer429AfterRepeatedFailuresAndAuditThem() throws Exception {
        String wrong = "aaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
        int status = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 12 && status != 429; i++) {
            last = send(anonymous, at("/databases/default/docs?id=a", wrong));
            status = last.statusCode();
        }
        assertEquals(429, status, "failures must be limited");
        assertNotNull(last.headers().firstValue("Retry-After").orElse(null));
        assertTrue(Long.parseLong(last.headers().firstValue("Retry-After").get()) > 0);
        assertEquals("TooManyRequests", JSON.readTree(last.body()).get("Type").asText());
        // While blocked even the right key waits: guessing cannot go on.
        assertEquals(429, send(anonymous, at("/databases/default/docs?id=a", BOOTSTRAP)).statusCode());
        // A registered client certificate cannot be guessed over HTTP, so it still works from that address.
        Certificates.Issued ops = tls.client("ops");
        server.securityStore().putCertificate("ops", ops.certificate(), Clearance.OPERATOR, Map.of());
        try (HttpClient client = tls.http(ops)) {
            assertEquals(404, send(client, at("/databases/default/docs?id=a", null)).statusCode());
        }

        var audit = server.securityStore().audit().page(0, 100);
        assertTrue(audit.stream().anyMatch(e -> e.get("Outcome").asText().startsWith("401")), audit.toString());
        assertTrue(audit.toString().indexOf("bbbbbbbbbbbb") < 0, "the audit log never holds the secret");
    }

    @Test
    void shouldAuditSecurityActionsAndPageThem() throws Exception {
        createKey("{\"Name\":\"a\",\"Clearance\":\"Operator\"}");
        createKey("{\"Name\":\"b\",\"Clearance\":\"Operator\"}");
        var first = send(anonymous, at("/admin/security/audit?start=0&pageSize=2", BOOTSTRAP));
        assertEquals(200, first.statusCode(), first.body());
        JsonNode results = JSON.readTree(first.body()).get("Results");
        assertEquals(2, results.size());
        assertEquals("register bootstrap API key admin", results.get(0).get("Action").asText());
        assertEquals("PUT /admin/security/api-keys", results.get(1).get("Action").asText());
        assertEquals("201", results.get(1).get("Outcome").asText());
        assertTrue(results.get(1).get("Principal").asText().contains("bootstrap"));
        assertEquals("127.0.0.1", results.get(1).get("Address").asText());
        var next = JSON.readTree(send(anonymous, at("/admin/security/audit?start=2&pageSize=1", BOOTSTRAP)).body());
        assertEquals("PUT /admin/security/api-keys", next.get("Results").get(0).get("Action").asText());
        var bad = put("/admin/security/api-keys", BOOTSTRAP, "{\"Name\":\"c\",\"Clearance\":\"Boss\"}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("ClusterAdmin, Operator or User"), bad.body());
    }
}
