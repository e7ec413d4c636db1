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
 * plaintext a reader had no room for, and wrapped records the socket has not taken yet.
 *
 * <p>Records are read into and wrapped in the calling thread's {@link RecordScratch} buffers; only bytes that must
 * outlast the conduit call — a partial record from the socket, a record the socket did not take whole, plaintext
 * the reader had no room for — move to a pooled buffer, which goes back to the pool the moment it is empty (an
 * idle keep-alive connection holds none). {@link #keepInput()} ends every call that read from the socket.
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
    private final RecordScratch scratch;

    private ByteBuffer in;            // received bytes not yet unwrapped, read mode: the scratch's or netIn's; never empty
    private PooledByteBuffer netIn;   // holds them between conduit calls
    private PooledByteBuffer plainIn; // unwrapped bytes the reader had no room for, read mode
    private PooledByteBuffer netOut;  // wrapped records not yet written, read mode

    TlsRecords(StreamSourceConduit source, StreamSinkConduit sink, SSLEngine engine, ByteBufferPool pool,
               RecordScratch scratch) {
        this.source = source;
        this.sink = sink;
        this.engine = engine;
        this.pool = pool;
        this.scratch = scratch;
    }

    // ---- input ----

    /** Reads from the socket into the input buffer; the count, 0 when nothing is there, -1 at the end of stream. */
    int fill() throws IOException {
        if (in == null) {
            in = scratch.input();
            in.clear();
        } else {
            in.compact();
        }
        int n;
        try {
            n = source.read(in);
        } finally {
            in.flip();
        }
        releaseEmpty();
        return n;
    }

    /**
     * Ends a conduit call that read from the socket: received bytes still in this thread's scratch buffer (a
     * partial record, or records the reader had no room for) move to a pooled one, as the next call may come from
     * another thread.
     */
    void keepInput() {
        if (in != null && netIn == null) {
            netIn = pool.allocate();
            ByteBuffer held = netIn.getBuffer();
            held.clear();
            held.put(in).flip();
            in = held;
        }
    }

    /** Whether the input holds at least one whole TLS record, so an unwrap can make progress. */
    boolean hasCompleteRecord() {
        if (in == null) {
            return false;
        }
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
                + (in == null ? 0 : in.remaining());
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
        SSLEngineResult result = engine.unwrap(in, dsts, off, len);
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            // The reader's buffer is smaller than the record: keep the plaintext here and hand out a part.
            plainIn = pool.allocate();
            ByteBuffer plain = plainIn.getBuffer();
            try {
                result = engine.unwrap(in, plain);
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
            result = engine.unwrap(in, plain);
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
     * Wraps application data into this thread's output buffer, as many records as it holds, and writes them with
     * one socket write; what the socket does not take moves to a pooled buffer for {@link #flush()}. Only when
     * nothing is waiting for the socket. The last result; the count consumed is added to {@code consumed}.
     */
    SSLEngineResult wrap(ByteBuffer[] srcs, int off, int len, long[] consumed) throws IOException {
        assert netOut == null : "records wait for the socket";
        ByteBuffer out = scratch.output();
        out.clear();
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
        while (out.hasRemaining()) {
            if (sink.write(out) == 0) {
                netOut = pool.allocate(); // the socket is full: the rest waits in a buffer of the connection's own
                ByteBuffer held = netOut.getBuffer();
                held.clear();
                held.put(out).flip();
                break;
            }
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
        in = null;
    }

    void releaseAll() {
        releaseInput();
        release(netOut);
        netOut = null;
    }

    private void releaseEmpty() {
        if (in != null && !in.hasRemaining()) {
            in = null;
            if (netIn != null) {
                netIn.close();
                netIn = null;
            }
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
