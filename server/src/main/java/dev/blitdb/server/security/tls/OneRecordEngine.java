package dev.blitdb.server.security.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A BoringSSL engine that turns one gathering {@code wrap} of several buffers into one TLS record, as JSSE does.
 *
 * <p>Undertow wraps a response's headers and body in one call; Netty's engine writes each buffer as a record of its
 * own, so a 1 KB GET answer became two records, and both sides paid the per-record cost (the AEAD setup, the
 * header, the client's extra read) twice. Here the buffers are copied into one direct scratch buffer of the calling
 * thread (the wrap runs on the connection's IO thread, one at a time) and wrapped once; the original buffers are
 * advanced by what the engine consumed, so a partial wrap (a full network buffer) resumes where it stopped.
 * Everything else goes to the engine unchanged.
 */
final class OneRecordEngine extends SSLEngine {

    /** TLS's largest plaintext record: a gathering write up to this size becomes one record. */
    static final int MAX_RECORD_PLAINTEXT = 16 * 1024;

    private static final ThreadLocal<ByteBuffer> SCRATCH =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(MAX_RECORD_PLAINTEXT));

    private final SSLEngine engine;

    OneRecordEngine(SSLEngine engine) {
        super(engine.getPeerHost(), engine.getPeerPort());
        this.engine = engine;
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
        int buffers = 0;
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            int remaining = srcs[i].remaining();
            if (remaining > 0) {
                buffers++;
                total += remaining;
            }
        }
        if (buffers < 2 || total > MAX_RECORD_PLAINTEXT) {
            return engine.wrap(srcs, offset, length, dst);
        }
        ByteBuffer scratch = SCRATCH.get();
        scratch.clear();
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer src = srcs[i];
            scratch.put(scratch.position(), src, src.position(), src.remaining());
            scratch.position(scratch.position() + src.remaining());
        }
        scratch.flip();
        SSLEngineResult result = engine.wrap(scratch, dst);
        int consumed = result.bytesConsumed();
        for (int i = offset; i < offset + length && consumed > 0; i++) {
            ByteBuffer src = srcs[i];
            int step = Math.min(consumed, src.remaining());
            src.position(src.position() + step);
            consumed -= step;
        }
        return result;
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
        return engine.wrap(src, dst);
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        return engine.unwrap(src, dsts, offset, length);
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
        return engine.unwrap(src, dst);
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts) throws SSLException {
        return engine.unwrap(src, dsts);
    }

    @Override
    public Runnable getDelegatedTask() {
        return engine.getDelegatedTask();
    }

    @Override
    public void closeInbound() throws SSLException {
        engine.closeInbound();
    }

    @Override
    public boolean isInboundDone() {
        return engine.isInboundDone();
    }

    @Override
    public void closeOutbound() {
        engine.closeOutbound();
    }

    @Override
    public boolean isOutboundDone() {
        return engine.isOutboundDone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return engine.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return engine.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        engine.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return engine.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return engine.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        engine.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
        return engine.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return engine.getHandshakeSession();
    }

    @Override
    public void beginHandshake() throws SSLException {
        engine.beginHandshake();
    }

    @Override
    public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
        return engine.getHandshakeStatus();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        engine.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return engine.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        engine.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return engine.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        engine.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return engine.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        engine.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return engine.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return engine.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        engine.setSSLParameters(params);
    }

    @Override
    public String getApplicationProtocol() {
        return engine.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return engine.getHandshakeApplicationProtocol();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
        engine.setHandshakeApplicationProtocolSelector(selector);
    }

    @Override
    public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return engine.getHandshakeApplicationProtocolSelector();
    }
}
