package dev.blitdb.server.http.tls;

import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.undertow.server.protocol.http2.Http2OpenListener;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The HTTPS listener: accepts on Undertow's worker, runs each connection's TLS handshake on its IO thread, then hands
 * the connection to Undertow's HTTP/2 listener when ALPN chose {@code h2} and to its HTTP/1.1 listener otherwise,
 * both over {@link TlsConduit} (server/SECURITY.md, "The HTTPS listener", says why it is not Undertow's own).
 */
public final class HttpsListener implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HttpsListener.class.getName());
    private static final String[] ALPN = {Http2OpenListener.HTTP2, "http/1.1"};

    /** How the listener makes its engines: the context, protocols, suites; ALPN set on the engine or the context. */
    public record Engines(SSLContext context, List<String> protocols, List<String> cipherSuites,
                          boolean alpnOnEngine, boolean sessionCreationFlag) {
    }

    private final Engines engines;
    private final ByteBufferPool tlsBuffers;
    private final RecordScratch scratch;
    private final HttpOpenListener http1;
    private final Http2OpenListener http2;
    private final long handshakeTimeoutMillis;
    private final AcceptingChannel<StreamConnection> server;

    private HttpsListener(XnioWorker worker, InetSocketAddress address, OptionMap socketOptions,
                          OptionMap undertowOptions, ByteBufferPool httpBuffers, HttpHandler root, Engines engines,
                          Duration handshakeTimeout) throws IOException {
        this.engines = engines;
        SSLEngine probe = newEngine(null, -1);
        // One record (header, up to 16 KB of plaintext, padding, tag) fits a buffer either way round.
        int size = Math.max(probe.getSession().getPacketBufferSize(), probe.getSession().getApplicationBufferSize());
        this.tlsBuffers = new DefaultByteBufferPool(true, size, -1, 4);
        this.scratch = new RecordScratch(size);
        this.http1 = new HttpOpenListener(httpBuffers, undertowOptions);
        this.http1.setRootHandler(root);
        this.http2 = new Http2OpenListener(httpBuffers, undertowOptions);
        this.http2.setRootHandler(root);
        this.handshakeTimeoutMillis = handshakeTimeout.toMillis();
        ChannelListener<AcceptingChannel<StreamConnection>> accept = channel -> {
            StreamConnection raw;
            try {
                while ((raw = channel.accept()) != null) {
                    open(raw);
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "accepting an HTTPS connection failed", e);
            }
        };
        this.server = worker.createStreamConnectionServer(address, accept, socketOptions);
        this.server.resumeAccepts();
    }

    /** Binds {@code address} and starts accepting. */
    public static HttpsListener start(XnioWorker worker, InetSocketAddress address, OptionMap socketOptions,
                                      OptionMap undertowOptions, ByteBufferPool httpBuffers, HttpHandler root,
                                      Engines engines, Duration handshakeTimeout) throws IOException {
        return new HttpsListener(worker, address, socketOptions, undertowOptions, httpBuffers, root, engines,
                handshakeTimeout);
    }

    /** The address bound (the port differs from the configured one when that was 0). */
    public InetSocketAddress address() {
        return server.getLocalAddress(InetSocketAddress.class);
    }

    private SSLEngine newEngine(String host, int port) {
        SSLEngine engine = host == null ? engines.context().createSSLEngine()
                : engines.context().createSSLEngine(host, port);
        engine.setUseClientMode(false);
        engine.setEnabledProtocols(engines.protocols().toArray(String[]::new));
        engine.setEnabledCipherSuites(engines.cipherSuites().toArray(String[]::new));
        if (engines.sessionCreationFlag()) {
            engine.setEnableSessionCreation(true);
        }
        if (engines.alpnOnEngine()) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setApplicationProtocols(ALPN);
            parameters.setUseCipherSuitesOrder(true); // ours: AES-128-GCM first (ServerTls)
            engine.setSSLParameters(parameters);
        }
        // Requested, not required: API-key clients send no certificate.
        engine.setWantClientAuth(true);
        return engine;
    }

    private void open(StreamConnection raw) {
        TlsConnection connection;
        try {
            InetSocketAddress peer = raw.getPeerAddress(InetSocketAddress.class);
            SSLEngine engine = peer == null ? newEngine(null, -1)
                    : newEngine(peer.getHostString(), peer.getPort());
            connection = new TlsConnection(raw, engine, tlsBuffers, scratch);
            engine.beginHandshake();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot start TLS on an accepted connection", e);
            IoUtils.safeClose(raw);
            return;
        }
        // A client that connects and never finishes its handshake is cut off, like one that never sends a request.
        XnioExecutor.Key timeout = raw.getIoThread().executeAfter(() -> {
            if (!connection.conduit().handshakeDone()) {
                LOG.log(System.Logger.Level.DEBUG, "TLS handshake with " + raw.getPeerAddress() + " timed out");
                IoUtils.safeClose(connection);
            }
        }, handshakeTimeoutMillis, TimeUnit.MILLISECONDS);
        connection.getSourceChannel().setReadListener(channel -> handshake(connection, timeout));
        connection.getSinkChannel().setWriteListener(channel -> handshake(connection, timeout));
        handshake(connection, timeout);
    }

    private void handshake(TlsConnection connection, XnioExecutor.Key timeout) {
        try {
            if (!connection.conduit().handshake()) {
                return; // the conduit resumed reads or writes; this runs again when the socket is ready
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "TLS handshake with " + connection.getPeerAddress() + " failed: " + e);
            timeout.remove();
            IoUtils.safeClose(connection);
            return;
        }
        timeout.remove();
        connection.getSourceChannel().setReadListener(null);
        connection.getSinkChannel().setWriteListener(null);
        if (Http2OpenListener.HTTP2.equals(connection.conduit().engine().getApplicationProtocol())) {
            http2.handleEvent(connection);
        } else {
            http1.handleEvent(connection);
        }
    }

    /** Stops accepting and closes every connection of this listener. */
    @Override
    public void close() {
        IoUtils.safeClose(server);
        http1.closeConnections();
        http2.closeConnections();
    }

}
