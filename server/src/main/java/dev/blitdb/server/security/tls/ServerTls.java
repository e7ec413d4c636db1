package dev.blitdb.server.security.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The server's TLS: one {@link SSLContext} whose certificate is replaced when its files change.
 *
 * <p>Reload: a file watch, chosen over a reload route because certificate renewers (certbot, cert-manager,
 * a mounted Kubernetes secret) replace files and do not call APIs. Every {@link #WATCH_INTERVAL} the files'
 * modification times and sizes are compared with the last load; on a change the files are read again, and only
 * a complete, consistent pair (the key matches the certificate) replaces the current one. A half-written or bad
 * file is logged and the old certificate stays in service. {@link #reload()} does the same on demand.
 *
 * <p>Protocols: TLS 1.3 and 1.2 only. Cipher suites: the JDK's enabled suites that are AEAD with forward secrecy
 * (all of TLS 1.3's; for 1.2, ECDHE with AES-GCM or ChaCha20-Poly1305), AES-128-GCM preferred.
 */
public final class ServerTls implements AutoCloseable {

    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    public static final Duration WATCH_INTERVAL = Duration.ofSeconds(2);

    private static final System.Logger LOG = System.getLogger(ServerTls.class.getName());

    private final TlsFiles files;
    private final ReloadingKeyManager keyManager;
    private final SSLContext context;
    private final List<String> cipherSuites;
    private final SSLContext listenerContext;
    private final TlsEngine engine;
    private final ScheduledExecutorService watcher;
    private List<FileTime> loadedTimes;
    private List<Long> loadedSizes;

    private ServerTls(TlsFiles files, ReloadingKeyManager keyManager, SSLContext context,
                      ClientCertificateTrust clients, TlsEngine engine) throws IOException {
        this.files = files;
        this.keyManager = keyManager;
        this.context = context;
        this.cipherSuites = modernSuites(context.getSupportedSSLParameters().getCipherSuites(),
                context.getDefaultSSLParameters().getCipherSuites());
        TlsEngine chosen = listenerEngine(engine, engine == TlsEngine.JDK ? null
                : BoringSslContext.unavailabilityCause());
        SSLContext listener = context;
        if (chosen == TlsEngine.BORINGSSL) {
            listener = BoringSslContext.create(keyManager, clients, PROTOCOLS, cipherSuites, context);
            LOG.log(System.Logger.Level.INFO, "HTTPS through " + io.netty.handler.ssl.OpenSsl.versionString()
                    + " (netty-tcnative)");
        }
        this.listenerContext = listener;
        this.engine = chosen;
        var executor = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().daemon().name("blitdb-tls-watch")
                .unstarted(r));
        executor.setRemoveOnCancelPolicy(true);
        this.watcher = executor;
    }

    /**
     * Loads the certificate and starts watching its files.
     *
     * @param registeredClient whether a client certificate's SHA-256 thumbprint is registered (mutual TLS)
     */
    public static ServerTls start(TlsFiles files, Predicate<String> registeredClient) throws IOException {
        return start(files, registeredClient, TlsEngine.AUTO);
    }

    /** As {@link #start(TlsFiles, Predicate)}, with the engine the HTTPS listener should use. */
    public static ServerTls start(TlsFiles files, Predicate<String> registeredClient, TlsEngine engine)
            throws IOException {
        var stamp = stamp(files);
        ReloadingKeyManager keyManager = new ReloadingKeyManager(load(files));
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            ClientCertificateTrust clients = new ClientCertificateTrust(registeredClient);
            context.init(new KeyManager[] {keyManager}, new TrustManager[] {clients}, new SecureRandom());
            ServerTls tls = new ServerTls(files, keyManager, context, clients, engine);
            tls.loadedTimes = stamp.times;
            tls.loadedSizes = stamp.sizes;
            long every = WATCH_INTERVAL.toMillis();
            tls.watcher.scheduleWithFixedDelay(tls::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * The engine the HTTPS listener gets when {@code wanted} is asked for and BoringSSL's native library is
     * unavailable for {@code cause} (null: it loads): {@code auto} falls back to the JDK's with one warning that
     * says why, {@code boringssl} refuses to start.
     */
    public static TlsEngine listenerEngine(TlsEngine wanted, Throwable cause) throws IOException {
        if (wanted == TlsEngine.JDK) {
            return TlsEngine.JDK;
        }
        if (cause == null) {
            return TlsEngine.BORINGSSL;
        }
        if (wanted == TlsEngine.BORINGSSL) {
            throw new IOException("--tls-engine boringssl: BoringSSL's native library (netty-tcnative) cannot be "
                    + "loaded: " + cause, cause);
        }
        LOG.log(System.Logger.Level.WARNING, "HTTPS through the JDK's TLS (JSSE) instead of BoringSSL, which costs "
                + "less CPU per request, because BoringSSL's native library (netty-tcnative) cannot be loaded: " + cause
                + " (--tls-engine jdk silences this warning)");
        return TlsEngine.JDK;
    }

    /** The JSSE context (certificate and client trust), for anything but the HTTPS listener. */
    public SSLContext context() {
        return context;
    }

    /** The HTTPS listener's context: BoringSSL's engines where they load, else {@link #context()}. */
    public SSLContext listenerContext() {
        return listenerContext;
    }

    /** The engine the HTTPS listener runs on. */
    public TlsEngine engine() {
        return engine;
    }

    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /**
     * The key manager serving the current certificate (it follows reloads); it also answers as a TLS client, for
     * a cluster node calling its peers with its own certificate.
     */
    public javax.net.ssl.X509ExtendedKeyManager keyManager() {
        return keyManager;
    }

    /** The certificate now served. */
    public X509Certificate certificate() {
        return keyManager.identity().chain()[0];
    }

    /** Reads the files again now; on failure the current certificate stays and the exception says why. */
    public synchronized void reload() throws IOException {
        var stamp = stamp(files);
        ReloadingKeyManager.Identity next = load(files);
        keyManager.replace(next);
        loadedTimes = stamp.times;
        loadedSizes = stamp.sizes;
        LOG.log(System.Logger.Level.INFO, "TLS certificate reloaded: now serving " + describe(next.chain()[0]));
    }

    private synchronized void reloadIfChanged() {
        try {
            var stamp = stamp(files);
            if (stamp.times.equals(loadedTimes) && stamp.sizes.equals(loadedSizes)) {
                return;
            }
            reload();
        } catch (IOException | RuntimeException e) {
            // Keep serving the old certificate; a renewer may still be writing the files.
            LOG.log(System.Logger.Level.WARNING, "TLS files " + files.files() + " changed but cannot be loaded ("
                    + e.getMessage() + "); still serving " + describe(certificate()));
        }
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }

    private record Stamp(List<FileTime> times, List<Long> sizes) {
    }

    private static Stamp stamp(TlsFiles files) throws IOException {
        List<FileTime> times = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (Path file : files.files()) {
            times.add(Files.getLastModifiedTime(file));
            sizes.add(Files.size(file));
        }
        return new Stamp(times, sizes);
    }

    static ReloadingKeyManager.Identity load(TlsFiles files) throws IOException {
        ReloadingKeyManager.Identity identity = switch (files) {
            case TlsFiles.PemFiles pem -> {
                List<X509Certificate> chain = Pem.certificates(pem.certificate());
                PrivateKey key = Pem.privateKey(pem.key());
                yield new ReloadingKeyManager.Identity(key, chain.toArray(X509Certificate[]::new));
            }
            case TlsFiles.Pkcs12File p12 -> loadPkcs12(p12);
        };
        checkPair(identity, files);
        return identity;
    }

    private static ReloadingKeyManager.Identity loadPkcs12(TlsFiles.Pkcs12File p12) throws IOException {
        try (InputStream in = Files.newInputStream(p12.keystore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, p12.password());
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Key key = store.getKey(alias, p12.password());
                    Certificate[] chain = store.getCertificateChain(alias);
                    if (key instanceof PrivateKey privateKey && chain != null && chain.length > 0) {
                        return new ReloadingKeyManager.Identity(privateKey,
                                Arrays.stream(chain).map(X509Certificate.class::cast).toArray(X509Certificate[]::new));
                    }
                }
            }
            throw new IOException(p12.keystore() + " holds no private key with a certificate chain");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the PKCS#12 key store " + p12.keystore() + ": " + e.getMessage()
                    + " (is BLITDB_TLS_KEYSTORE_PASSWORD right?)", e);
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
                throw new IOException("wrong password for the PKCS#12 key store " + p12.keystore()
                        + " (set BLITDB_TLS_KEYSTORE_PASSWORD)", e);
            }
            throw e;
        }
    }

    /** Refuses a key that does not belong to the certificate (a renewer that wrote only one of the two files). */
    private static void checkPair(ReloadingKeyManager.Identity identity, TlsFiles files) throws IOException {
        try {
            String algorithm = identity.key().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            byte[] probe = "blitdb key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            var signer = java.security.Signature.getInstance(algorithm);
            signer.initSign(identity.key());
            signer.update(probe);
            byte[] signature = signer.sign();
            var verifier = java.security.Signature.getInstance(algorithm);
            verifier.initVerify(identity.chain()[0].getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IOException("the private key in " + files.files() + " does not belong to the certificate "
                        + describe(identity.chain()[0]));
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("the private key in " + files.files() + " does not fit the certificate "
                    + describe(identity.chain()[0]) + ": " + e.getMessage(), e);
        }
    }

    static String describe(X509Certificate certificate) {
        return certificate.getSubjectX500Principal() + " (valid until " + certificate.getNotAfter().toInstant()
                + ", thumbprint " + Pem.thumbprint(certificate) + ")";
    }

    /**
     * The enabled AEAD suites with forward secrecy, AES-128-GCM first (then AES-256-GCM, then ChaCha20-Poly1305):
     * JSSE servers pick by their own order, and AES-128-GCM is the cheapest of them per byte with the AES-NI and
     * CLMUL intrinsics HotSpot uses on x86 and ARM, at a strength nobody is asked to exceed. A client that offers
     * only one of the others still gets it.
     */
    static List<String> modernSuites(String[] supported, String[] enabled) {
        List<String> out = new ArrayList<>();
        for (String suite : enabled) {
            boolean tls13 = suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_");
            boolean tls12 = suite.startsWith("TLS_ECDHE_") && (suite.contains("_GCM_") || suite.contains("CHACHA20"));
            if (tls13 || tls12) {
                out.add(suite);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("this JDK enables no modern TLS cipher suite (supported: "
                    + String.join(", ", supported) + ")");
        }
        // Stable: within one rank the JDK's order stays (TLS 1.3 before 1.2, ECDSA before RSA).
        out.sort(java.util.Comparator.comparingInt(ServerTls::costRank));
        return List.copyOf(out);
    }

    private static int costRank(String suite) {
        if (suite.contains("AES_128_GCM")) {
            return 0;
        }
        return suite.contains("AES_256_GCM") ? 1 : 2;
    }
}
