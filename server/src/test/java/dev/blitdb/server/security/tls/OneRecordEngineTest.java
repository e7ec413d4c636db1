package dev.blitdb.server.security.tls;

import dev.blitdb.server.security.setup.Certificates;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gathering wrap on the BoringSSL engine is one TLS record (headers and body of an answer together), a partial
 * one leaves the buffers where the engine stopped, and the peer (JSSE) reads back exactly what was written.
 */
class OneRecordEngineTest {

    private static final int RECORD_HEADER = 5;

    @Test
    void shouldWrapHeadersAndBodyIntoOneRecord() throws Exception {
        Pair pair = Pair.handshaken();
        ByteBuffer headers = direct("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
        ByteBuffer body = direct("x".repeat(1000));
        int plaintext = headers.remaining() + body.remaining();
        ByteBuffer net = ByteBuffer.allocateDirect(32 * 1024);
        SSLEngineResult result = pair.server.wrap(new ByteBuffer[] {headers, body}, 0, 2, net);
        assertEquals(SSLEngineResult.Status.OK, result.getStatus());
        assertEquals(plaintext, result.bytesConsumed());
        assertEquals(0, headers.remaining() + body.remaining());
        net.flip();
        assertEquals(23, net.get(0), "an application-data record");
        int recordLength = ((net.get(3) & 0xff) << 8) | (net.get(4) & 0xff);
        assertEquals(net.remaining(), RECORD_HEADER + recordLength, "one record holds the whole answer");
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(1000), pair.clientReads(net));
    }

    @Test
    void shouldLeaveTheBuffersUntouchedWhenTheNetworkBufferIsFull() throws Exception {
        Pair pair = Pair.handshaken();
        ByteBuffer headers = direct("HTTP/1.1 200 OK\r\n\r\n");
        ByteBuffer body = direct("y".repeat(2000));
        ByteBuffer tooSmall = ByteBuffer.allocateDirect(100);
        SSLEngineResult full = pair.server.wrap(new ByteBuffer[] {headers, body}, 0, 2, tooSmall);
        assertEquals(SSLEngineResult.Status.BUFFER_OVERFLOW, full.getStatus());
        assertEquals(0, full.bytesConsumed());
        assertEquals(19, headers.remaining());
        assertEquals(2000, body.remaining());
        ByteBuffer net = ByteBuffer.allocateDirect(32 * 1024);
        SSLEngineResult retried = pair.server.wrap(new ByteBuffer[] {headers, body}, 0, 2, net);
        assertEquals(2019, retried.bytesConsumed());
        net.flip();
        assertEquals("HTTP/1.1 200 OK\r\n\r\n" + "y".repeat(2000), pair.clientReads(net));
    }

    @Test
    void shouldWrapMoreThanOneRecordsWorthAsTheEngineDoes() throws Exception {
        Pair pair = Pair.handshaken();
        ByteBuffer first = direct("a".repeat(10_000));
        ByteBuffer second = direct("b".repeat(10_000));
        ByteBuffer net = ByteBuffer.allocateDirect(64 * 1024);
        StringBuilder read = new StringBuilder();
        while (first.hasRemaining() || second.hasRemaining()) {
            net.clear();
            pair.server.wrap(new ByteBuffer[] {first, second}, 0, 2, net);
            net.flip();
            read.append(pair.clientReads(net));
        }
        assertEquals("a".repeat(10_000) + "b".repeat(10_000), read.toString());
    }

    private static ByteBuffer direct(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    /** A BoringSSL server engine and a JSSE client engine, handshaken in memory. */
    private record Pair(SSLEngine server, SSLEngine client) {

        static Pair handshaken() throws Exception {
            Certificates.Issued ca = Certificates.certificateAuthority("test CA", Instant.now().minus(1, ChronoUnit.DAYS),
                    Instant.now().plus(1, ChronoUnit.DAYS));
            Certificates.Issued leaf = Certificates.issue(ca, "localhost", Certificates.Purpose.SERVER,
                    List.of("localhost"), Instant.now().minus(1, ChronoUnit.DAYS), Instant.now().plus(1, ChronoUnit.DAYS));
            var keys = new ReloadingKeyManager(new ReloadingKeyManager.Identity(leaf.keys().getPrivate(),
                    new X509Certificate[] {leaf.certificate(), ca.certificate()}));
            SSLContext jsse = SSLContext.getInstance("TLS");
            jsse.init(null, null, null);
            SSLContext boring = BoringSslContext.create(keys, new ClientCertificateTrust(thumbprint -> false),
                    ServerTls.PROTOCOLS, List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"), jsse);
            SSLEngine server = boring.createSSLEngine();
            assertTrue(server instanceof OneRecordEngine, server.getClass().getName());
            server.setUseClientMode(false);
            SSLContext clientContext = SSLContext.getInstance("TLS");
            clientContext.init(null, new TrustManager[] {new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] chain, String type) {
                }

                public void checkServerTrusted(X509Certificate[] chain, String type) {
                    assertEquals(leaf.certificate(), chain[0]);
                }

                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            SSLEngine client = clientContext.createSSLEngine("localhost", 443);
            client.setUseClientMode(true);
            Pair pair = new Pair(server, client);
            pair.handshake();
            return pair;
        }

        private void handshake() throws Exception {
            ByteBuffer toServer = ByteBuffer.allocate(64 * 1024);
            ByteBuffer toClient = ByteBuffer.allocate(64 * 1024);
            ByteBuffer app = ByteBuffer.allocate(64 * 1024);
            client.beginHandshake();
            server.beginHandshake();
            for (int i = 0; i < 200; i++) {
                boolean done = finished(client) && finished(server) && toServer.position() == 0
                        && toClient.position() == 0;
                if (done) {
                    return;
                }
                step(client, toServer, toClient, app);
                step(server, toClient, toServer, app);
            }
            throw new AssertionError("no handshake: " + client.getHandshakeStatus() + " / " + server.getHandshakeStatus());
        }

        private static boolean finished(SSLEngine engine) {
            return engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
        }

        private static void step(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws Exception {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
            if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                engine.wrap(ByteBuffer.allocate(0), out);
            } else if (in.position() > 0) {
                in.flip();
                app.clear();
                engine.unwrap(in, app);
                in.compact();
            }
        }

        String clientReads(ByteBuffer net) throws Exception {
            StringBuilder text = new StringBuilder();
            ByteBuffer app = ByteBuffer.allocate(64 * 1024);
            while (net.hasRemaining()) {
                app.clear();
                SSLEngineResult result = client.unwrap(net, app);
                if (result.bytesConsumed() == 0) {
                    break;
                }
                app.flip();
                text.append(StandardCharsets.US_ASCII.decode(app));
            }
            return text.toString();
        }
    }
}
