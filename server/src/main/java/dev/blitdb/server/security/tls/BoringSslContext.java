package dev.blitdb.server.security.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.security.SecureRandom;
import java.util.List;

/**
 * An {@link SSLContext} whose engines are BoringSSL's (netty-tcnative's {@code SSLEngine}), for the HTTPS
 * listener: Undertow asks its context for an engine per connection and drives it like JSSE's.
 *
 * <p>The same key manager (so certificate reloads apply to the next handshake: Netty reads the key material
 * from it on every handshake, it keeps no copy) and the same client-certificate trust as the JSSE context.
 * ALPN ({@code h2}, {@code http/1.1}) is configured here, because BoringSSL selects the protocol inside the
 * handshake from the context's list; Undertow reads the result through {@link SSLEngine#getApplicationProtocol}.
 * Sockets (not used by the listener) come from the JSSE context given as {@code sockets}.
 */
final class BoringSslContext extends SSLContextSpi {

    private final SslContext netty;
    private final SSLContext sockets;

    private BoringSslContext(SslContext netty, SSLContext sockets) {
        this.netty = netty;
        this.sockets = sockets;
    }

    /** Why BoringSSL cannot be used here, or null if it can. */
    static Throwable unavailabilityCause() {
        // The server ships netty-tcnative-boringssl-static only, so the library that loads is BoringSSL.
        return OpenSsl.isAvailable() ? null : OpenSsl.unavailabilityCause();
    }

    static SSLContext create(X509ExtendedKeyManager keys, X509ExtendedTrustManager clients, List<String> protocols,
                             List<String> cipherSuites, SSLContext sockets) throws SSLException {
        SslContext netty = SslContextBuilder.forServer((KeyManager) keys)
                .sslProvider(SslProvider.OPENSSL)
                .trustManager((TrustManager) clients)
                .clientAuth(ClientAuth.OPTIONAL)
                .protocols(protocols)
                .ciphers(cipherSuites)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "h2", "http/1.1"))
                .build();
        BoringSslContext spi = new BoringSslContext(netty, sockets);
        return new SSLContext(spi, sockets.getProvider(), "TLS") {
        };
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
        // Built complete in create(); nothing is left to initialise.
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
        return new OneRecordEngine(netty.newEngine(ByteBufAllocator.DEFAULT));
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
        return new OneRecordEngine(netty.newEngine(ByteBufAllocator.DEFAULT, host, port));
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
        return sockets.getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
        return sockets.getServerSocketFactory();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
        return netty.sessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
        return sockets.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
        SSLEngine engine = engineCreateSSLEngine();
        try {
            return engine.getSSLParameters();
        } finally {
            engine.closeOutbound();
            closeInbound(engine);
        }
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
        SSLEngine engine = engineCreateSSLEngine();
        try {
            return new SSLParameters(engine.getSupportedCipherSuites(), engine.getSupportedProtocols());
        } finally {
            engine.closeOutbound();
            closeInbound(engine);
        }
    }

    private static void closeInbound(SSLEngine engine) {
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            // An engine that never handshook has nothing to lose; closing frees its native state.
        }
    }
}
