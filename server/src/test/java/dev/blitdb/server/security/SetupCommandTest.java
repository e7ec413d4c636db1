package dev.blitdb.server.security;

import dev.blitdb.server.BlitDbServer;
import dev.blitdb.server.config.SecurityOptions;
import dev.blitdb.server.config.ServerConfig;
import dev.blitdb.server.security.setup.SetupCommand;
import dev.blitdb.server.security.tls.Pem;
import dev.blitdb.server.security.tls.TlsFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code blitdb setup} end to end: its files start a secure server that its admin certificate can use. */
class SetupCommandTest {

    @Test
    void shouldMakeCertificatesThatASecureServerAndItsAdminUse(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("certs");
        Path data = dir.resolve("data");
        var stdout = new ByteArrayOutputStream();
        var stderr = new ByteArrayOutputStream();
        int status = SetupCommand.run(List.of("--out", out.toString(), "--hostname", "localhost", "--hostname",
                "127.0.0.1", "--data-dir", data.toString()), Map.of(), new PrintStream(stdout), new PrintStream(stderr));
        assertEquals(0, status, stderr.toString());
        assertTrue(stdout.toString().contains("--tls-cert " + out.resolve("server.crt")), stdout.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("server.key"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("ca.key"))));

        char[] password = Files.readString(out.resolve("admin.p12.password")).strip().toCharArray();
        KeyStore admin = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(out.resolve("admin.p12"))) {
            admin.load(in, password);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", Pem.certificates(out.resolve("ca.crt")).getFirst());
        var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(admin, password);
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

        var config = new ServerConfig("127.0.0.1", 0, data, false).withSecurity(new SecurityOptions(
                new TlsFiles.PemFiles(out.resolve("server.crt"), out.resolve("server.key")), true, null, -1));
        try (BlitDbServer server = BlitDbServer.start(config);
             HttpClient client = HttpClient.newBuilder().sslContext(context).build();
             HttpClient noCert = TlsFixture.http(TlsFixture.context(Pem.certificates(out.resolve("ca.crt")).getFirst(),
                     null), HttpClient.Version.HTTP_1_1)) {
            var who = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/admin/security/whoami")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, who.statusCode(), who.body());
            assertTrue(who.body().contains("\"Clearance\":\"ClusterAdmin\"") && who.body().contains("\"Name\":\"admin\""),
                    who.body());
            var anonymous = noCert.send(HttpRequest.newBuilder(URI.create(server.url() + "/databases")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode());
        }

        int again = SetupCommand.run(List.of("--out", out.toString(), "--hostname", "localhost", "--data-dir",
                data.toString()), Map.of(), new PrintStream(stdout), new PrintStream(stderr));
        assertEquals(1, again);
        assertTrue(stderr.toString().contains("never overwrites"), stderr.toString());
    }
}
