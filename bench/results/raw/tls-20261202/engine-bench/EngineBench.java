import io.netty.handler.ssl.*;
import io.netty.buffer.ByteBufAllocator;
import javax.net.ssl.*;
import java.nio.ByteBuffer;
import java.security.*;
import java.security.cert.X509Certificate;
import java.io.FileInputStream;

/** Server-side SSLEngine cost per keep-alive GET: unwrap a ~200 B request record, wrap a ~1,2 KB response. */
public class EngineBench {
    static PrivateKey key; static X509Certificate cert;

    public static void main(String[] a) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(new FileInputStream("ks.p12"), "changeit".toCharArray());
        key = (PrivateKey) ks.getKey("s", "changeit".toCharArray());
        cert = (X509Certificate) ks.getCertificate("s");
        boolean direct = Boolean.getBoolean("direct");
        String[][] cases = {
            {"jdk", "TLSv1.3", "TLS_AES_128_GCM_SHA256"},
            {"jdk", "TLSv1.3", "TLS_AES_256_GCM_SHA384"},
            {"jdk", "TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256"},
            {"jdk", "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
            {"jdk", "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
            {"openssl", "TLSv1.3", "TLS_AES_128_GCM_SHA256"},
            {"openssl", "TLSv1.3", "TLS_AES_256_GCM_SHA384"},
            {"openssl", "TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256"},
            {"openssl", "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
        };
        int rounds = Integer.getInteger("rounds", 3);
        for (int r = 0; r < rounds; r++) {
            for (String[] c : cases) {
                if (a.length > 0 && !c[0].equals(a[0])) continue; if (a.length > 1 && !(c[1]+c[2]).contains(a[1])) continue;
                System.out.printf("%-8s %-8s %-48s direct=%s %7.0f ns CPU per request (median batch; client incl.)%n", c[0], c[1], c[2], direct, run(c[0], c[1], c[2], direct));
            }
        }
    }

    static SSLEngine server(String kind, String proto, String suite) throws Exception {
        SSLEngine e;
        if (kind.equals("jdk")) {
            SSLContext ctx = SSLContext.getInstance("TLS");
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            KeyStore ks = KeyStore.getInstance("PKCS12"); ks.load(null, null);
            ks.setKeyEntry("s", key, new char[0], new java.security.cert.Certificate[]{cert});
            kmf.init(ks, new char[0]);
            ctx.init(kmf.getKeyManagers(), null, null);
            e = ctx.createSSLEngine();
        } else {
            SslContext ctx = SslContextBuilder.forServer(key, cert).sslProvider(SslProvider.OPENSSL)
                .protocols(proto).ciphers(java.util.List.of(suite)).build();
            e = ctx.newEngine(ByteBufAllocator.DEFAULT);
        }
        e.setUseClientMode(false);
        e.setEnabledProtocols(new String[]{proto});
        e.setEnabledCipherSuites(new String[]{suite});
        return e;
    }

    static double run(String kind, String proto, String suite, boolean direct) throws Exception {
        SSLEngine s = server(kind, proto, suite);
        SSLContext cctx = SSLContext.getInstance("TLS");
        cctx.init(null, new TrustManager[]{new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String t) {}
            public void checkServerTrusted(X509Certificate[] c, String t) {}
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        SSLEngine c = cctx.createSSLEngine("localhost", 443); // the client is always JSSE on heap buffers, so differences are the server side
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[]{proto});
        c.setEnabledCipherSuites(new String[]{suite});
        int size = 17 * 1024 + 512;
        ByteBuffer c2s = alloc(size, direct), s2c = alloc(size, direct), sApp = alloc(size, direct), cApp = ByteBuffer.allocate(size);
        ByteBuffer empty = ByteBuffer.allocate(0);
        handshake(c, s, c2s, s2c, sApp, cApp, empty);
        byte[] req = new byte[200]; byte[] resp = new byte[1180];
        ByteBuffer reqB = ByteBuffer.allocate(200), respB = alloc(1180, direct);
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.List<Long> batches = new java.util.ArrayList<>();
        long end = System.nanoTime() + Long.getLong("millis", 3000) * 1_000_000L;
        while (System.nanoTime() < end) {
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < 1000; i++) {
                reqB.clear(); c2s.clear(); c.wrap(reqB, c2s); c2s.flip();
                sApp.clear(); s.unwrap(c2s, sApp);
                respB.clear(); s2c.clear(); s.wrap(respB, s2c);
                s2c.flip(); while (s2c.hasRemaining()) { cApp.clear(); c.unwrap(s2c, cApp); }
            }
            batches.add((mx.getCurrentThreadCpuTime() - c0) / 1000);
        }
        java.util.Collections.sort(batches);
        double serverNs = batches.get(batches.size() / 2); int n = 1;
        if (!s.getSession().getCipherSuite().equals(suite) && !s.getSession().getCipherSuite().endsWith(suite.substring(4))) throw new IllegalStateException(s.getSession().getCipherSuite());
        return (double) serverNs / n;
    }

    static ByteBuffer alloc(int n, boolean d) { return d ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n); }

    static void handshake(SSLEngine c, SSLEngine s, ByteBuffer c2s, ByteBuffer s2c, ByteBuffer sApp, ByteBuffer cApp, ByteBuffer empty) throws Exception {
        c.beginHandshake(); s.beginHandshake();
        c2s.clear(); s2c.clear(); // write mode
        for (int i = 0; i < 1000; i++) {
            if (done(c) && done(s) && c2s.position() == 0 && s2c.position() == 0) return;
            pump(c, c2s, s2c, cApp, empty);
            pump(s, s2c, c2s, sApp, empty);
        }
        throw new IllegalStateException("handshake " + c.getHandshakeStatus() + " " + s.getHandshakeStatus());
    }
    /** out: this engine's outgoing net buffer (write mode); in: incoming from the peer (write mode). */
    static void pump(SSLEngine e, ByteBuffer out, ByteBuffer in, ByteBuffer app, ByteBuffer empty) throws Exception {
        run(e);
        var h = e.getHandshakeStatus();
        if (h == SSLEngineResult.HandshakeStatus.NEED_WRAP) { e.wrap(empty, out); run(e); }
        else if (h == SSLEngineResult.HandshakeStatus.NEED_UNWRAP || in.position() > 0) {
            in.flip(); app.clear(); e.unwrap(in, app); in.compact(); run(e);
        }
    }
    static boolean done(SSLEngine e) { var h = e.getHandshakeStatus(); return h == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || h == SSLEngineResult.HandshakeStatus.FINISHED; }
    static void step(SSLEngine e, ByteBuffer empty, ByteBuffer out) throws Exception {
        for (int k = 0; k < 10; k++) { run(e); if (e.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_WRAP) break; e.wrap(empty, out); }
    }
    static void run(SSLEngine e) { Runnable t; while ((t = e.getDelegatedTask()) != null) t.run(); }
}
