package dev.blitdb.server.http.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.EOFException;
import java.io.IOException;

/**
 * The handshake side of one TLS connection: the initial handshake, driven on the IO thread before the connection
 * is handed to HTTP/1.1 or HTTP/2, and the handshake messages that come after it — TLS 1.3's key updates and
 * tickets are answered, a TLS 1.2 renegotiation is refused (nginx's and BoringSSL's server behaviour; it is a
 * known denial-of-service lever).
 *
 * <p>Not thread-safe: {@link TlsConduit} calls it under its monitor.
 */
final class TlsHandshake {

    /** Where the initial handshake stands after {@link #advance()}. */
    enum Progress { FINISHED, NEEDS_READ, NEEDS_WRITE }

    /** Thrown when the peer starts a renegotiation: the connection must close. */
    static final class RenegotiationRefused extends SSLHandshakeException {
        RenegotiationRefused() {
            super("TLS renegotiation refused");
        }
    }

    private final SSLEngine engine;
    private final TlsRecords records;

    TlsHandshake(SSLEngine engine, TlsRecords records) {
        this.engine = engine;
        this.records = records;
    }

    /** Advances the initial handshake as far as the socket allows; a failed one sends its alert first. */
    Progress advance() throws IOException {
        try {
            return advanceOrThrow();
        } catch (SSLException e) {
            sendAlert();
            throw e;
        }
    }

    private Progress advanceOrThrow() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    if (!records.flush()) {
                        return Progress.NEEDS_WRITE;
                    }
                    records.wrapNoData();
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!records.flush()) { // our flight goes out before we wait for the answer to it
                        return Progress.NEEDS_WRITE;
                    }
                    if (!records.hasCompleteRecord()) {
                        int n = records.fill();
                        if (n == 0) {
                            return Progress.NEEDS_READ;
                        }
                        if (n < 0) {
                            throw new EOFException("the client closed the connection during the TLS handshake");
                        }
                        continue;
                    }
                    SSLEngineResult result = records.unwrapHandshake();
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLHandshakeException("the client ended the TLS session during the handshake");
                    }
                }
                case NOT_HANDSHAKING, FINISHED -> {
                    return records.flush() ? Progress.FINISHED : Progress.NEEDS_WRITE;
                }
            }
        }
    }

    /** A failed handshake leaves its alert in the engine: the client learns why instead of seeing a reset. */
    private void sendAlert() {
        try {
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && records.flush()) {
                records.wrapNoData();
                records.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the alert is best effort; the connection closes either way
        }
    }

    /**
     * Handles what the engine asks for after an unwrap or wrap of application data: a TLS 1.3 key update is
     * answered (true when its answer must wait for the socket: resume writes), anything else on TLS 1.2 is a
     * renegotiation and refused.
     *
     * @param inboundDone the peer's close_notify was read: the engine's wrap is then our own close_notify
     * @param closeNotifyWrapped ours is out: nothing may be wrapped after it
     */
    boolean afterEngine(HandshakeStatus status, boolean inboundDone, boolean closeNotifyWrapped)
            throws IOException {
        while (true) {
            switch (status) {
                case NEED_TASK -> {
                    if (!tls13()) {
                        throw new RenegotiationRefused();
                    }
                    runTasks();
                }
                case NEED_WRAP -> {
                    if (!tls13() && !inboundDone) {
                        throw new RenegotiationRefused();
                    }
                    if (closeNotifyWrapped || !records.flush()) {
                        return true; // the write-ready handler sends it
                    }
                    records.wrapNoData();
                    if (!records.flush()) {
                        return true;
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!tls13() && !inboundDone) {
                        throw new RenegotiationRefused();
                    }
                    return false;
                }
                default -> {
                    return false;
                }
            }
            status = engine.getHandshakeStatus();
        }
    }

    private boolean tls13() {
        return "TLSv1.3".equals(engine.getSession().getProtocol());
    }

    void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run(); // inline on this thread: a handshake's tasks are its key exchange and certificate checks
        }
    }
}
