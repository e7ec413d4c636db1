package dev.blitdb.server.http.tls;

import dev.blitdb.server.security.TlsFixture;
import io.undertow.server.DefaultByteBufferPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TlsConduit}'s read readiness over a real TCP connection and a real TLS client: records a read leaves with
 * the conduit get no socket event, so the conduit itself must run the reader again for them, whoever read.
 *
 * <p>Undertow's HTTP/2 channel re-runs its own read listener from an IO-thread task (not through the conduit)
 * while it still holds frame data; a read there that left whole records buffered, with the socket drained, once
 * left a large HTTP/2 upload stalled until the server's read timeout reset the stream.
 */
class TlsConduitReadinessTest {

    private static final int RECORD = 1000;
    private static final int RECORDS = 3;

    @TempDir
    Path dir;
    XnioWorker worker;
    AcceptingChannel<StreamConnection> server;

    @AfterEach
    void stop() {
        IoUtils.safeClose(server);
        if (worker != null) {
            worker.shutdownNow();
        }
    }

    @Test
    void shouldRunTheReaderAgainForRecordsLeftByAReadOutsideItsOwnPass() throws Exception {
        TlsFixture tls = new TlsFixture(dir.resolve("certs"));
        SSLContext serverContext = TlsFixture.context(tls.ca.certificate(), tls.server, "TLS");
        worker = Xnio.getInstance().createWorker(OptionMap.create(Options.WORKER_IO_THREADS, 1));
        CompletableFuture<TlsConnection> handshaken = new CompletableFuture<>();
        server = worker.createStreamConnectionServer(new InetSocketAddress("127.0.0.1", 0), channel -> {
            try {
                StreamConnection raw;
                while ((raw = channel.accept()) != null) {
                    SSLEngine engine = serverContext.createSSLEngine();
                    engine.setUseClientMode(false);
                    TlsConnection connection = new TlsConnection(raw, engine,
                            new DefaultByteBufferPool(true, 17 * 1024, -1, 4), new RecordScratch(17 * 1024));
                    engine.beginHandshake();
                    connection.getSourceChannel().setReadListener(c -> handshake(connection, handshaken));
                    connection.getSinkChannel().setWriteListener(c -> handshake(connection, handshaken));
                    handshake(connection, handshaken);
                }
            } catch (IOException e) {
                handshaken.completeExceptionally(e);
            }
        }, OptionMap.EMPTY);
        server.resumeAccepts();
        int port = server.getLocalAddress(InetSocketAddress.class).getPort();

        SSLContext clientContext = TlsFixture.context(tls.ca.certificate(), null, "TLS");
        try (SSLSocket client = (SSLSocket) clientContext.getSocketFactory().createSocket("127.0.0.1", port)) {
            client.setEnabledProtocols(new String[] {"TLSv1.3"});
            client.startHandshake();
            TlsConnection connection = handshaken.get(10, TimeUnit.SECONDS);

            // Three records reach the server's socket buffer before anyone reads.
            OutputStream out = client.getOutputStream();
            for (int i = 0; i < RECORDS; i++) {
                out.write(new byte[RECORD]);
                out.flush();
            }
            Thread.sleep(300);

            // The reader's first pass reads nothing itself: it leaves the read to an IO-thread task, as Undertow's
            // HTTP/2 channel does, and that task has room for one record only. Its later passes read what is there.
            AtomicInteger received = new AtomicInteger();
            AtomicInteger passes = new AtomicInteger();
            CountDownLatch all = new CountDownLatch(1);
            ConduitStreamSourceChannel source = connection.getSourceChannel();
            source.setReadListener(channel -> {
                if (passes.getAndIncrement() == 0) {
                    channel.getIoThread().execute(() -> read(channel, ByteBuffer.allocate(RECORD), received, all));
                    return;
                }
                read(channel, ByteBuffer.allocate(RECORDS * RECORD), received, all);
            });
            source.resumeReads();

            assertTrue(all.await(10, TimeUnit.SECONDS), "the reader got " + received.get() + " of "
                    + RECORDS * RECORD + " bytes in " + passes.get() + " passes: records the conduit held were never"
                    + " offered again");
            assertEquals(RECORDS * RECORD, received.get());
        }
    }

    private static void read(ConduitStreamSourceChannel channel, ByteBuffer into, AtomicInteger received,
                             CountDownLatch all) {
        try {
            int n;
            while ((n = channel.read(into)) > 0) {
                into.clear();
                if (received.addAndGet(n) == RECORDS * RECORD) {
                    all.countDown();
                }
                if (into.capacity() == RECORD) {
                    return; // the first task: one record, then it is done
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void handshake(TlsConnection connection, CompletableFuture<TlsConnection> done) {
        try {
            if (connection.conduit().handshake()) {
                connection.getSourceChannel().setReadListener(null);
                connection.getSinkChannel().setWriteListener(null);
                done.complete(connection);
            }
        } catch (IOException | RuntimeException e) {
            done.completeExceptionally(e);
        }
    }
}
