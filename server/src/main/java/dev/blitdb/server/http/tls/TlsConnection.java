package dev.blitdb.server.http.tls;

import io.undertow.connector.ByteBufferPool;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.Option;
import org.xnio.Options;
import org.xnio.SslClientAuthMode;
import org.xnio.StreamConnection;
import org.xnio.ssl.SslConnection;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.net.SocketAddress;

/**
 * An accepted TCP connection seen through {@link TlsConduit}: what Undertow's HTTP/1.1 and HTTP/2 listeners get.
 * It is an {@link SslConnection}, so Undertow exposes its session (client certificate, protocol) to handlers.
 */
final class TlsConnection extends SslConnection {

    private final StreamConnection raw;
    private final TlsConduit conduit;
    private final ChannelListener.SimpleSetter<SslConnection> handshakeSetter = new ChannelListener.SimpleSetter<>();

    TlsConnection(StreamConnection raw, SSLEngine engine, ByteBufferPool pool, RecordScratch scratch) {
        super(raw.getIoThread());
        this.raw = raw;
        this.conduit = new TlsConduit(this, raw.getSourceChannel().getConduit(), raw.getSinkChannel().getConduit(),
                engine, pool, scratch);
        setSourceConduit(conduit);
        setSinkConduit(conduit);
    }

    TlsConduit conduit() {
        return conduit;
    }

    @Override
    public void startHandshake() throws IOException {
        // Renegotiation is refused (TlsConduit); a new handshake on an open connection is never started.
        throw new IOException("TLS renegotiation is not supported on this listener");
    }

    @Override
    public SSLSession getSslSession() {
        return conduit.session();
    }

    @Override
    public ChannelListener.Setter<? extends SslConnection> getHandshakeSetter() {
        return handshakeSetter;
    }

    @Override
    public SocketAddress getPeerAddress() {
        return raw.getPeerAddress();
    }

    @Override
    public SocketAddress getLocalAddress() {
        return raw.getLocalAddress();
    }

    @Override
    public boolean supportsOption(Option<?> option) {
        return option == Options.SECURE || option == Options.SSL_CLIENT_AUTH_MODE || raw.supportsOption(option);
    }

    @Override
    public <T> T getOption(Option<T> option) throws IOException {
        if (option == Options.SECURE) {
            return option.cast(Boolean.TRUE);
        }
        if (option == Options.SSL_CLIENT_AUTH_MODE) {
            SSLEngine engine = conduit.engine();
            return option.cast(engine.getNeedClientAuth() ? SslClientAuthMode.REQUIRED
                    : engine.getWantClientAuth() ? SslClientAuthMode.REQUESTED : SslClientAuthMode.NOT_REQUESTED);
        }
        return raw.getOption(option);
    }

    @Override
    public <T> T setOption(Option<T> option, T value) throws IOException {
        if (option == Options.SECURE || option == Options.SSL_CLIENT_AUTH_MODE) {
            throw new IllegalArgumentException(option + " is fixed for the life of a TLS connection here");
        }
        return raw.setOption(option, value);
    }

    @Override
    protected void closeAction() {
        conduit.close();
    }

    void readClosedFromConduit() {
        readClosed();
    }

    void writeClosedFromConduit() {
        writeClosed();
    }

    void closeRaw() {
        IoUtils.safeClose(raw);
    }
}
