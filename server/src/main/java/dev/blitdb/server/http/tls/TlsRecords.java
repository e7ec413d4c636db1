package dev.blitdb.server.http.tls;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import org.xnio.Buffers;
import org.xnio.conduits.StreamSinkConduit;
import org.xnio.conduits.StreamSourceConduit;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The TLS records of one connection in flight: what the socket brought and the engine has not unwrapped yet, the
 * plaintext a reader had no room for, and wrapped records the socket has not taken yet, each in a pooled buffer
 * that goes back to the pool the moment it is empty (an idle keep-alive connection holds none).
 *
 * <p>Not thread-safe: {@link TlsConduit} calls it under its monitor.
 */
final class TlsRecords {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int RECORD_HEADER = 5;

    private final StreamSourceConduit source;
    private final StreamSinkConduit sink;
    private final SSLEngine engine;
    private final ByteBufferPool pool;

    private PooledByteBuffer netIn;   // received bytes not yet unwrapped, read mode
    private PooledByteBuffer plainIn; // unwrapped bytes the reader had no room for, read mode
    private PooledByteBuffer netOut;  // wrapped records not yet written, read mode

    TlsRecords(StreamSourceConduit source, StreamSinkConduit sink, SSLEngine engine, ByteBufferPool pool) {
        this.source = source;
        this.sink = sink;
        this.engine = engine;
        this.pool = pool;
    }

    // ---- input ----

    /** Reads from the socket into the input buffer; the count, 0 when nothing is there, -1 at the end of stream. */
    int fill() throws IOException {
        if (netIn == null) {
            netIn = pool.allocate();
        } else {
            netIn.getBuffer().compact();
        }
        ByteBuffer buffer = netIn.getBuffer();
        int n;
        try {
            n = source.read(buffer);
        } finally {
            buffer.flip();
        }
        releaseEmpty();
        return n;
    }

    /** Whether the input holds at least one whole TLS record, so an unwrap can make progress. */
    boolean hasCompleteRecord() {
        if (netIn == null) {
            return false;
        }
        ByteBuffer in = netIn.getBuffer();
        int remaining = in.remaining();
        if (remaining < RECORD_HEADER) {
            return false;
        }
        int length = ((in.get(in.position() + 3) & 0xff) << 8) | (in.get(in.position() + 4) & 0xff);
        return remaining >= RECORD_HEADER + length;
    }

    /** Whether a reader would get something without the socket: held plaintext or a whole record. */
    boolean hasBufferedInput() {
        return plainIn != null || hasCompleteRecord();
    }

    /** Bytes held for the reader, plaintext and records: a reader that took nothing leaves it unchanged. */
    int bufferedBytes() {
        return (plainIn == null ? 0 : plainIn.getBuffer().remaining())
                + (netIn == null ? 0 : netIn.getBuffer().remaining());
    }

    boolean hasPlaintext() {
        return plainIn != null;
    }

    /** Hands out held plaintext; the count copied. */
    long takePlaintext(ByteBuffer[] dsts, int off, int len) {
        long copied = Buffers.copy(dsts, off, len, plainIn.getBuffer());
        releaseEmpty();
        return copied;
    }

    /**
     * Unwraps the next record straight into the reader's buffers; one too small for the record gets what fits and
     * the rest is held. The result's {@code bytesProduced} is not what the reader got: {@code delivered[0]} is.
     */
    SSLEngineResult unwrap(ByteBuffer[] dsts, int off, int len, long[] delivered) throws IOException {
        SSLEngineResult result = engine.unwrap(netIn.getBuffer(), dsts, off, len);
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            // The reader's buffer is smaller than the record: keep the plaintext here and hand out a part.
            plainIn = pool.allocate();
            ByteBuffer plain = plainIn.getBuffer();
            try {
                result = engine.unwrap(netIn.getBuffer(), plain);
            } finally {
                plain.flip();
            }
            delivered[0] = Buffers.copy(dsts, off, len, plain);
        } else {
            delivered[0] = result.bytesProduced();
        }
        releaseEmpty();
        return result;
    }

    /** Unwraps a handshake record; handshake messages produce no plaintext, anything else is held. */
    SSLEngineResult unwrapHandshake() throws IOException {
        if (plainIn == null) {
            plainIn = pool.allocate();
        } else {
            plainIn.getBuffer().compact();
        }
        ByteBuffer plain = plainIn.getBuffer();
        SSLEngineResult result;
        try {
            result = engine.unwrap(netIn.getBuffer(), plain);
        } finally {
            plain.flip();
            releaseEmpty();
        }
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            throw new SSLException("a TLS record does not fit the " + plain.capacity() + "-byte buffer");
        }
        return result;
    }

    // ---- output ----

    /** Whether wrapped records still wait for the socket. */
    boolean hasOutput() {
        return netOut != null;
    }

    /** Writes the wrapped records to the socket; true once none is left. */
    boolean flush() throws IOException {
        if (netOut == null) {
            return true;
        }
        ByteBuffer out = netOut.getBuffer();
        while (out.hasRemaining()) {
            if (sink.write(out) == 0) {
                return false;
            }
        }
        netOut.close();
        netOut = null;
        return true;
    }

    /**
     * Wraps application data into one fresh buffer, as many records as it holds (one socket write for all of them);
     * only when nothing is waiting for the socket. The last result; the count consumed is added to {@code consumed}.
     */
    SSLEngineResult wrap(ByteBuffer[] srcs, int off, int len, long[] consumed) throws IOException {
        netOut = pool.allocate();
        ByteBuffer out = netOut.getBuffer();
        SSLEngineResult result;
        try {
            do {
                result = engine.wrap(srcs, off, len, out);
                consumed[0] += result.bytesConsumed();
            } while (result.getStatus() == SSLEngineResult.Status.OK && result.bytesConsumed() > 0
                    && Buffers.hasRemaining(srcs, off, len));
        } finally {
            out.flip();
        }
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW && !out.hasRemaining()) {
            throw new SSLException("a TLS record does not fit the " + out.capacity() + "-byte buffer");
        }
        if (!out.hasRemaining()) {
            releaseEmpty();
        }
        return result;
    }

    /** One wrap without application data: a handshake message, a key update's answer or the close_notify. */
    void wrapNoData() throws IOException {
        if (netOut == null) {
            netOut = pool.allocate();
        } else {
            netOut.getBuffer().compact();
        }
        ByteBuffer out = netOut.getBuffer();
        SSLEngineResult result;
        try {
            result = engine.wrap(EMPTY, out);
        } finally {
            out.flip();
        }
        releaseEmpty();
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            throw new SSLException("a TLS record does not fit the " + out.capacity() + "-byte buffer");
        }
    }

    // ---- buffers ----

    /** Gives back the input buffers (reads are shut down); output still pending stays. */
    void releaseInput() {
        release(plainIn);
        release(netIn);
        plainIn = netIn = null;
    }

    void releaseAll() {
        releaseInput();
        release(netOut);
        netOut = null;
    }

    private void releaseEmpty() {
        if (netIn != null && !netIn.getBuffer().hasRemaining()) {
            netIn.close();
            netIn = null;
        }
        if (plainIn != null && !plainIn.getBuffer().hasRemaining()) {
            plainIn.close();
            plainIn = null;
        }
        if (netOut != null && !netOut.getBuffer().hasRemaining()) {
            netOut.close();
            netOut = null;
        }
    }

    private static void release(PooledByteBuffer buffer) {
        if (buffer != null) {
            buffer.close();
        }
    }
}
