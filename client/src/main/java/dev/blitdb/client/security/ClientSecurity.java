package dev.blitdb.client.security;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Objects;

/**
 * The client's credentials and trust for a secure BlitDB server: an API key (sent as {@code Authorization:
 * Bearer}), a client certificate (mutual TLS; a {@link KeyStore} or PEM files), and the CA that signed the
 * server's certificate (a trust store or a PEM file; without one the JDK's default trust applies). Immutable;
 * build it with {@link #builder()} and pass it to {@code new DocumentStore(url, database, security)}.
 *
 * <pre>{@code
 * var security = ClientSecurity.builder()
 *         .trustPem(Path.of("certs/ca.crt"))
 *         .clientCertificatePem(Path.of("certs/admin.crt"), Path.of("certs/admin.key"))
 *         .build();
 * try (var store = new DocumentStore("https://db.example.com:8080", "shop", security)) { ... }
 * }</pre>
 */
public final class ClientSecurity {

    private static final ClientSecurity NONE = new ClientSecurity(null, null);

    private final String apiKey;
    private final SSLContext sslContext;

    private ClientSecurity(String apiKey, SSLContext sslContext) {
        this.apiKey = apiKey;
        this.sslContext = sslContext;
    }

    /** No credential, the JDK's default trust. */
    public static ClientSecurity none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The API key, or null. */
    public String apiKey() {
        return apiKey;
    }

    /** The TLS context for the HTTP client, or null for the JDK's default. */
    public SSLContext sslContext() {
        return sslContext;
    }

    @Override
    public String toString() {
        return "ClientSecurity[apiKey=" + (apiKey == null ? "none" : "(set)") + ", tls="
                + (sslContext == null ? "default" : "custom") + "]";
    }

    /** Collects the options; {@link #build} checks and loads them. */
    public static final class Builder {
        private String apiKey;
        private KeyStore keyStore;
        private char[] keyPassword;
        private KeyStore trustStore;

        private Builder() {
        }

        /** An API key as created by {@code PUT /admin/security/api-keys} ({@code <id>.<secret>}). */
        public Builder apiKey(String key) {
            this.apiKey = Objects.requireNonNull(key, "key").strip();
            return this;
        }

        /** A client certificate and its private key in a key store (e.g. the {@code admin.p12} of setup). */
        public Builder clientCertificate(KeyStore store, char[] password) {
            this.keyStore = Objects.requireNonNull(store, "store");
            this.keyPassword = password == null ? new char[0] : password.clone();
            return this;
        }

        /** A PKCS#12 file holding the client certificate and key. */
        public Builder clientCertificatePkcs12(Path file, char[] password) {
            try (InputStream in = Files.newInputStream(file)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(in, password);
                return clientCertificate(store, password);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot read the PKCS#12 file " + file + ": " + e.getMessage(), e);
            }
        }

        /** A PEM certificate (chain) and its unencrypted PKCS#8 PEM private key ({@code BEGIN PRIVATE KEY}). */
        public Builder clientCertificatePem(Path certificate, Path privateKey) {
            try {
                Collection<? extends Certificate> chain = certificates(certificate);
                PrivateKey key = privateKey(privateKey);
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("client", key, new char[0], chain.toArray(new Certificate[0]));
                return clientCertificate(store, new char[0]);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot use the client certificate " + certificate + " with key "
                        + privateKey + ": " + e.getMessage(), e);
            }
        }

        /** The certificates to trust for the server (its CA), from a trust store. */
        public Builder trustStore(KeyStore store) {
            this.trustStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The certificates to trust for the server (its CA), from a PEM file such as setup's {@code ca.crt}. */
        public Builder trustPem(Path caCertificates) {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                int i = 0;
                for (Certificate c : certificates(caCertificates)) {
                    store.setCertificateEntry("ca" + i++, c);
                }
                return trustStore(store);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot read the CA certificates " + caCertificates + ": "
                        + e.getMessage(), e);
            }
        }

        public ClientSecurity build() {
            if (apiKey != null && (apiKey.isEmpty() || apiKey.indexOf('.') < 1)) {
                throw new IllegalArgumentException("an API key looks like <id>.<secret>, as shown once when it was "
                        + "created");
            }
            if (keyStore == null && trustStore == null) {
                return new ClientSecurity(apiKey, null);
            }
            try {
                KeyManagerFactory kmf = null;
                if (keyStore != null) {
                    kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                    kmf.init(keyStore, keyPassword);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trustStore); // null = the JDK's default CAs
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
                return new ClientSecurity(apiKey, context);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot set up TLS for the client: " + e.getMessage(), e);
            }
        }

        private static Collection<? extends Certificate> certificates(Path file) throws IOException,
                GeneralSecurityException {
            try (InputStream in = Files.newInputStream(file)) {
                Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in);
                if (all.isEmpty()) {
                    throw new IOException(file + " holds no certificate");
                }
                return all;
            }
        }

        private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
            String text = Files.readString(file, StandardCharsets.US_ASCII);
            String begin = "-----BEGIN PRIVATE KEY-----";
            int start = text.indexOf(begin);
            int end = text.indexOf("-----END PRIVATE KEY-----");
            if (start < 0 || end < start) {
                throw new IOException(file + " holds no unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----); convert "
                        + "one with: openssl pkcs8 -topk8 -nocrypt -in old.key -out new.key");
            }
            byte[] der = Base64.getMimeDecoder().decode(text.substring(start + begin.length(), end));
            GeneralSecurityException last = null;
            for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                } catch (GeneralSecurityException e) {
                    last = e;
                }
            }
            throw last;
        }
    }

}
