package dev.blitdb.server.security;

import dev.blitdb.server.security.setup.Certificates;
import dev.blitdb.server.security.tls.Pem;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Certificates made for one test: a CA, a server certificate for 127.0.0.1, client certificates, and clients. */
public final class TlsFixture {

    public final Certificates.Issued ca;
    public final Certificates.Issued server;
    public final Path certFile;
    public final Path keyFile;

    public TlsFixture(Path dir) throws IOException {
        Instant now = Instant.now();
        ca = Certificates.certificateAuthority("BlitDB test CA", now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS));
        server = Certificates.issue(ca, "localhost", Certificates.Purpose.SERVER, List.of("localhost", "127.0.0.1"),
                now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS));
        Files.createDirectories(dir);
        certFile = dir.resolve("server.crt");
        keyFile = dir.resolve("server.key");
        writeServer(server);
    }

    /** Replaces the server's certificate files with {@code issued} (the file watch picks them up). */
    public void writeServer(Certificates.Issued issued) throws IOException {
        Path tmpCert = certFile.resolveSibling("server.crt.tmp");
        Path tmpKey = keyFile.resolveSibling("server.key.tmp");
        Files.writeString(tmpCert, Pem.encode(issued.certificate(), ca.certificate()));
        Files.writeString(tmpKey, Pem.encode(issued.privateKey()));
        Files.move(tmpKey, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmpCert, certFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public Certificates.Issued client(String name) {
        return client(ca, name, Instant.now().plus(30, ChronoUnit.DAYS));
    }

    public static Certificates.Issued client(Certificates.Issued issuer, String name, Instant notAfter) {
        return Certificates.issue(issuer, name, Certificates.Purpose.CLIENT, List.of(),
                notAfter.minus(60, ChronoUnit.DAYS), notAfter);
    }

    /** A client that trusts {@code trusted} and presents {@code identity} (null = no certificate). */
    public static SSLContext context(X509Certificate trusted, Certificates.Issued identity, String... protocols) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", trusted);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (identity != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("me", identity.privateKey(), new char[0],
                        new java.security.cert.Certificate[] {identity.certificate()});
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, new char[0]);
            }
            SSLContext context = SSLContext.getInstance(protocols.length == 1 ? protocols[0] : "TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public HttpClient http(Certificates.Issued identity) {
        return http(context(ca.certificate(), identity), HttpClient.Version.HTTP_1_1);
    }

    public static HttpClient http(SSLContext context, HttpClient.Version version) {
        return HttpClient.newBuilder().sslContext(context).version(version)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }
}
