package dev.blitdb.client;

import dev.blitdb.client.exceptions.AuthenticationException;
import dev.blitdb.client.exceptions.AuthorizationException;
import dev.blitdb.client.exceptions.BlitDbException;
import dev.blitdb.client.security.ClientSecurity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client end to end against a secure server over TLS, with every kind of credential: client certificate
 * from PEM files and from a PKCS#12 key store, API key; CA trust from PEM and from a trust store; and the typed
 * exceptions. The certificates come from the server's own {@code blitdb setup}, run as a child JVM.
 */
class SecureServerTest {

    static final String BOOTSTRAP = "boot.0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";

    @TempDir
    static Path dir;
    static Path certs;
    static TestServer server;
    static ClientSecurity adminPem;

    @BeforeAll
    static void start() throws Exception {
        certs = dir.resolve("certs");
        Path data = dir.resolve("data");
        List<String> setup = new ArrayList<>(List.of(System.getProperty("blitdb.server.java"), "-jar",
                System.getProperty("blitdb.server.jar"), "setup", "--out", certs.toString(), "--hostname", "localhost",
                "--hostname", "127.0.0.1", "--data-dir", data.toString()));
        Process process = new ProcessBuilder(setup).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        Path keyFile = Files.writeString(dir.resolve("bootstrap.key"), BOOTSTRAP);
        adminPem = ClientSecurity.builder().trustPem(certs.resolve("ca.crt"))
                .clientCertificatePem(certs.resolve("admin.crt"), certs.resolve("admin.key")).build();
        server = new TestServer(data, adminPem, "--tls-cert", certs.resolve("server.crt").toString(), "--tls-key",
                certs.resolve("server.key").toString(), "--require-auth", "--bootstrap-api-key-file", keyFile.toString());
        assertTrue(server.url().startsWith("https://"), server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldWorkWithAClientCertificateFromPemFiles() {
        try (var store = server.newStore(); var session = store.openSession()) {
            session.store(new User("Ann", 34), "users/ann");
            session.saveChanges();
            assertEquals(34, session.load(User.class, "users/ann").getAge());
        }
    }

    @Test
    void shouldWorkWithAClientCertificateFromAKeyStoreAndATrustStore() throws Exception {
        char[] password = Files.readString(certs.resolve("admin.p12.password")).strip().toCharArray();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certs.resolve("ca.crt"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        var security = ClientSecurity.builder().clientCertificatePkcs12(certs.resolve("admin.p12"), password)
                .trustStore(trust).build();
        String database;
        try (var created = server.newStore()) {
            database = created.database();
        }
        try (var store = new DocumentStore(server.url(), database, security); var session = store.openSession()) {
            session.store(new User("Bo", 41), "users/bo");
            session.saveChanges();
            assertEquals("Bo", session.load(User.class, "users/bo").getName());
        }
    }

    @Test
    void shouldWorkWithAnApiKeyAndMapRefusalsToTypedExceptions() throws Exception {
        String database;
        try (var created = server.newStore(); var s = created.openSession()) {
            database = created.database();
            s.store(new User("Cy", 29), "users/cy");
            s.saveChanges();
        }
        var trustOnly = ClientSecurity.builder().trustPem(certs.resolve("ca.crt"));
        // setup registered the admin certificate, so the bootstrap key was (rightly) not registered.
        try (var store = new DocumentStore(server.url(), database, trustOnly.apiKey(BOOTSTRAP).build());
             var session = store.openSession()) {
            assertThrows(AuthenticationException.class, () -> session.load(User.class, "users/cy"));
        }
        String adminKey = createKey("{\"Name\":\"ops\",\"Clearance\":\"Operator\"}");
        try (var store = new DocumentStore(server.url(), database, ClientSecurity.builder()
                .trustPem(certs.resolve("ca.crt")).apiKey(adminKey).build());
             var session = store.openSession()) {
            assertEquals(29, session.load(User.class, "users/cy").getAge());
        }
        String readKey = createKey("{\"Name\":\"reader\",\"Clearance\":\"User\",\"Databases\":{\"" + database
                + "\":\"Read\"}}");
        try (var store = new DocumentStore(server.url(), database, ClientSecurity.builder()
                .trustPem(certs.resolve("ca.crt")).apiKey(readKey).build())) {
            try (var session = store.openSession()) {
                assertEquals("Cy", session.load(User.class, "users/cy").getName());
                session.store(new User("Di", 50), "users/di");
                var denied = assertThrows(AuthorizationException.class, session::saveChanges);
                assertEquals(403, denied.status());
                assertEquals("ReadWrite", denied.permission());
                assertEquals(database, denied.database());
            }
        }
        try (var store = new DocumentStore(server.url(), database, ClientSecurity.builder()
                .trustPem(certs.resolve("ca.crt")).apiKey(readKey.substring(0, readKey.length() - 1) + "x").build());
             var session = store.openSession()) {
            var refused = assertThrows(AuthenticationException.class, () -> session.load(User.class, "users/cy"));
            assertEquals(401, refused.status());
        }
        try (var store = new DocumentStore(server.url(), database, trustOnly.build());
             var session = store.openSession()) {
            assertThrows(AuthenticationException.class, () -> session.load(User.class, "users/cy"));
        }
    }

    @Test
    void shouldRefuseAServerItDoesNotTrust() {
        try (var store = new DocumentStore(server.url(), "default", ClientSecurity.builder().apiKey(BOOTSTRAP).build());
             var session = store.openSession()) {
            var e = assertThrows(BlitDbException.class, () -> session.load(User.class, "users/x"));
            assertNotNull(e.getCause(), "a TLS failure, not an HTTP answer: " + e);
        }
    }

    private static String createKey(String body) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(adminPem.sslContext()).build();
        var response = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/admin/security/api-keys"))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        String json = response.body();
        int at = json.indexOf("\"Key\":\"") + 7;
        return json.substring(at, json.indexOf('"', at));
    }
}
