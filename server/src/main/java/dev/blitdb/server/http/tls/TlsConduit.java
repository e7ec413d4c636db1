package dev.blitdb.server.http.tls;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import org.xnio.Buffers;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.ConduitWritableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.ReadReadyHandler;
import org.xnio.conduits.StreamSinkConduit;
import org.xnio.conduits.StreamSourceConduit;
import org.xnio.conduits.WriteReadyHandler;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;

/**
 * TLS over one accepted TCP connection: reads are unwrapped straight into the reader's buffer, a write is wrapped
 * into one pooled buffer and sent with one socket write, and the read listener is re-run only when whole records
 * are really waiting in our buffer (Undertow's {@code SslConduit} re-runs it after every unwrap that produced bytes,
 * which cost an extra listener pass and an {@code EAGAIN} read per HTTPS request).
 *
 * <p>Buffers come from a pool and go back as soon as they are empty, so an idle keep-alive connection holds none.
 * All state is guarded by this object's monitor: the IO thread and a worker thread in blocking mode may both call
 * in. The initial handshake is driven by {@link #handshake()} before the connection is handed to HTTP/1.1 or HTTP/2;
 * later handshake messages (TLS 1.3 key updates and tickets) are handled inline; a TLS 1.2 renegotiation is refused
 * by closing the connection (nginx's and BoringSSL's server behaviour; it is a known denial-of-service lever).
 */
final class TlsConduit implements StreamSourceConduit, StreamSinkConduit {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int RECORD_HEADER = 5;

    private final TlsConnection connection;
    private final StreamSourceConduit source;
    private final StreamSinkConduit sink;
    private final SSLEngine engine;
    private final ByteBufferPool pool;
    private final ByteBuffer[] one = new ByteBuffer[1];
    private final Runnable rerunReadListener = this::rerunReadListener;

    private PooledByteBuffer netIn;   // received bytes not yet unwrapped, read mode
    private PooledByteBuffer plainIn; // unwrapped bytes the reader had no room for, read mode
    private PooledByteBuffer netOut;  // wrapped records not yet written, read mode
    private ReadReadyHandler readHandler;
    private WriteReadyHandler writeHandler;
    private boolean readsResumed;
    private boolean writesResumed;
    private boolean handshakeDone;
    private boolean inboundDone;      // close_notify or end of stream seen
    private boolean readShutdown;
    private boolean writeShutdown;    // terminateWrites called: close_notify follows once the data is out
    private boolean closeNotifyWrapped;
    private boolean sinkTerminated;
    private boolean closed;

    TlsConduit(TlsConnection connection, StreamSourceConduit source, StreamSinkConduit sink, SSLEngine engine,
               ByteBufferPool pool) {
        this.connection = connection;
        this.source = source;
        this.sink = sink;
        this.engine = engine;
        this.pool = pool;
        source.setReadReadyHandler(new RawReadReady());
        sink.setWriteReadyHandler(new RawWriteReady());
    }

    SSLEngine engine() {
        return engine;
    }

    synchronized boolean handshakeDone() {
        return handshakeDone;
    }

    // ---- the initial handshake ----

    /**
     * Advances the initial handshake as far as the socket allows. True once it is finished and its last records
     * are written; false when it waits for the peer (reads are resumed) or for the socket to drain (writes are).
     */
    synchronized boolean handshake() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        try {
            return advanceHandshake();
        } catch (SSLException e) {
            sendAlert();
            throw e;
        }
    }

    /** A failed handshake leaves its alert in the engine: the client learns why instead of seeing a reset. */
    private void sendAlert() {
        try {
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && flushNetOut()) {
                wrapNoData();
                flushNetOut();
            }
        } catch (IOException | RuntimeException e) {
            // the alert is best effort; the connection closes either way
        }
    }

    private boolean advanceHandshake() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    if (!flushNetOut()) {
                        awaitSocket(false);
                        return false;
                    }
                    wrapNoData();
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!flushNetOut()) { // our flight goes out before we wait for the answer to it
                        awaitSocket(false);
                        return false;
                    }
                    if (!hasCompleteRecord()) {
                        int n = fill();
                        if (n == 0) {
                            awaitSocket(true);
                            return false;
                        }
                        if (n < 0) {
                            throw new EOFException("the client closed the connection during the TLS handshake");
                        }
                        continue;
                    }
                    unwrapDuringHandshake();
                }
                case NOT_HANDSHAKING, FINISHED -> {
                    if (!flushNetOut()) {
                        awaitSocket(false);
                        return false;
                    }
                    handshakeDone = true;
                    readsResumed = writesResumed = false;
                    source.suspendReads();
                    sink.suspendWrites();
                    return true;
                }
            }
        }
    }

    /** The handshake waits for the peer's next flight (reads) or for the socket to take ours (writes). */
    private void awaitSocket(boolean read) {
        readsResumed = read;
        writesResumed = !read;
        if (read) {
            sink.suspendWrites();
            source.resumeReads();
        } else {
            source.suspendReads();
            sink.resumeWrites();
        }
    }

    private void unwrapDuringHandshake() throws IOException {
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
        if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new SSLHandshakeException("the client ended the TLS session during the handshake");
        }
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            throw new SSLException("a TLS record does not fit the " + plain.capacity() + "-byte buffer");
        }
    }

    // ---- reading ----

    @Override
    public int read(ByteBuffer dst) throws IOException {
        synchronized (this) {
            one[0] = dst;
            try {
                return (int) read(one, 0, 1);
            } finally {
                one[0] = null;
            }
        }
    }

    @Override
    public synchronized long read(ByteBuffer[] dsts, int off, int len) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (readShutdown) {
            return -1;
        }
        if (plainIn != null) {
            long copied = Buffers.copy(dsts, off, len, plainIn.getBuffer());
            releaseEmpty();
            return copied;
        }
        if (inboundDone) {
            return -1;
        }
        long total = 0;
        while (Buffers.hasRemaining(dsts, off, len)) {
            if (!hasCompleteRecord()) {
                if (total > 0) {
                    break; // what we have is the reader's; more may come with the next readiness event
                }
                int n = fill();
                if (n <= 0) {
                    if (n < 0) {
                        inboundDone = true;
                        return -1; // end of stream without close_notify: as a plain socket's end
                    }
                    return 0;
                }
                continue;
            }
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
                total += Buffers.copy(dsts, off, len, plain);
            } else {
                total += result.bytesProduced();
            }
            releaseEmpty();
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                inboundDone = true;
                afterEngine(result.getHandshakeStatus());
                return total > 0 ? total : -1;
            }
            afterEngine(result.getHandshakeStatus());
        }
        return total;
    }

    /** Reads from the socket into {@link #netIn}; the count, 0 when nothing is there, -1 at the end of stream. */
    private int fill() throws IOException {
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

    /** Whether {@link #netIn} holds at least one whole TLS record, so an unwrap can make progress. */
    private boolean hasCompleteRecord() {
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

    private boolean hasBufferedInput() {
        return plainIn != null || hasCompleteRecord();
    }

    /** Handshake messages after the handshake: TLS 1.3's key updates are answered; renegotiation is refused. */
    private void afterEngine(HandshakeStatus status) throws IOException {
        while (true) {
            switch (status) {
                case NEED_TASK -> {
                    if (!"TLSv1.3".equals(engine.getSession().getProtocol())) {
                        throw renegotiationRefused();
                    }
                    runTasks();
                }
                case NEED_WRAP -> {
                    if (!"TLSv1.3".equals(engine.getSession().getProtocol()) && !inboundDone) {
                        throw renegotiationRefused();
                    }
                    if (closeNotifyWrapped || !flushNetOut()) {
                        sink.resumeWrites(); // the write-ready handler sends it
                        return;
                    }
                    wrapNoData();
                    if (!flushNetOut()) {
                        sink.resumeWrites();
                        return;
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!"TLSv1.3".equals(engine.getSession().getProtocol()) && !inboundDone) {
                        throw renegotiationRefused();
                    }
                    return;
                }
                default -> {
                    return;
                }
            }
            status = engine.getHandshakeStatus();
        }
    }

    private SSLHandshakeException renegotiationRefused() {
        closeQuietly();
        return new SSLHandshakeException("TLS renegotiation refused");
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run(); // inline on this thread: a handshake's tasks are its key exchange and certificate checks
        }
    }

    // ---- writing ----

    @Override
    public int write(ByteBuffer src) throws IOException {
        synchronized (this) {
            one[0] = src;
            try {
                return (int) write(one, 0, 1);
            } finally {
                one[0] = null;
            }
        }
    }

    @Override
    public synchronized long write(ByteBuffer[] srcs, int off, int len) throws IOException {
        if (closed || writeShutdown) {
            throw new ClosedChannelException();
        }
        long consumed = 0;
        while (Buffers.hasRemaining(srcs, off, len) && flushNetOut()) {
            netOut = pool.allocate();
            ByteBuffer out = netOut.getBuffer();
            SSLEngineResult result;
            try {
                do { // as many records as the buffer holds: one socket write for all of them
                    result = engine.wrap(srcs, off, len, out);
                    consumed += result.bytesConsumed();
                } while (result.getStatus() == SSLEngineResult.Status.OK && result.bytesConsumed() > 0
                        && Buffers.hasRemaining(srcs, off, len));
            } finally {
                out.flip();
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new ClosedChannelException();
            }
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW && !out.hasRemaining()) {
                throw new SSLException("a TLS record does not fit the " + out.capacity() + "-byte buffer");
            }
            if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            if (!out.hasRemaining() && result.bytesConsumed() == 0) {
                releaseEmpty();
                break; // the engine wants a handshake message first (refused in afterEngine on the next read)
            }
        }
        flushNetOut();
        return consumed;
    }

    @Override
    public int writeFinal(ByteBuffer src) throws IOException {
        return Conduits.writeFinalBasic(this, src);
    }

    @Override
    public long writeFinal(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return Conduits.writeFinalBasic(this, srcs, offset, length);
    }

    /** Writes {@link #netOut} to the socket; true once nothing is left in it. */
    private boolean flushNetOut() throws IOException {
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

    /** One wrap without application data: a handshake message, a key update's answer or the close_notify. */
    private void wrapNoData() throws IOException {
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

    @Override
    public synchronized boolean flush() throws IOException {
        if (closed) {
            return true;
        }
        if (!flushNetOut()) {
            return false;
        }
        if (writeShutdown) {
            if (!closeNotifyWrapped) {
                engine.closeOutbound();
                closeNotifyWrapped = true;
                wrapNoData();
                if (!flushNetOut()) {
                    return false;
                }
            }
            if (!sinkTerminated) {
                sinkTerminated = true;
                sink.terminateWrites();
            }
            if (!sink.flush()) {
                return false;
            }
            connection.writeClosedFromConduit();
            return true;
        }
        return sink.flush();
    }

    @Override
    public synchronized void terminateWrites() throws IOException {
        writeShutdown = true;
    }

    @Override
    public synchronized boolean isWriteShutdown() {
        return writeShutdown;
    }

    @Override
    public void truncateWrites() throws IOException {
        try {
            sink.truncateWrites();
        } finally {
            connection.writeClosedFromConduit();
            closeQuietly();
        }
    }

    @Override
    public long transferFrom(FileChannel src, long position, long count) throws IOException {
        return src.transferTo(position, count, new ConduitWritableByteChannel(this));
    }

    @Override
    public long transferFrom(StreamSourceChannel src, long count, ByteBuffer throughBuffer) throws IOException {
        return IoUtils.transfer(src, count, throughBuffer, new ConduitWritableByteChannel(this));
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
        return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        return IoUtils.transfer(new ConduitReadableByteChannel(this), count, throughBuffer, target);
    }

    // ---- readiness ----

    @Override
    public synchronized void resumeReads() {
        readsResumed = true;
        source.resumeReads(); // for what the socket brings next, once what we hold is taken
        if (hasBufferedInput()) {
            source.getReadThread().execute(rerunReadListener); // no socket event will come for bytes we hold
        }
    }

    @Override
    public synchronized void suspendReads() {
        readsResumed = false;
        source.suspendReads();
    }

    @Override
    public synchronized void wakeupReads() {
        readsResumed = true;
        source.resumeReads();
        source.getReadThread().execute(rerunReadListener);
    }

    @Override
    public synchronized boolean isReadResumed() {
        return readsResumed;
    }

    @Override
    public void awaitReadable() throws IOException {
        synchronized (this) {
            if (hasBufferedInput() || closed || inboundDone) {
                return;
            }
        }
        source.awaitReadable();
    }

    @Override
    public void awaitReadable(long time, TimeUnit unit) throws IOException {
        synchronized (this) {
            if (hasBufferedInput() || closed || inboundDone) {
                return;
            }
        }
        source.awaitReadable(time, unit);
    }

    @Override
    public synchronized void terminateReads() throws IOException {
        if (readShutdown) {
            return;
        }
        readShutdown = true;
        release(plainIn);
        plainIn = null;
        release(netIn);
        netIn = null;
        connection.readClosedFromConduit();
    }

    @Override
    public synchronized boolean isReadShutdown() {
        return readShutdown;
    }

    @Override
    public XnioIoThread getReadThread() {
        return source.getReadThread();
    }

    @Override
    public void setReadReadyHandler(ReadReadyHandler handler) {
        this.readHandler = handler;
    }

    @Override
    public synchronized void resumeWrites() {
        writesResumed = true;
        sink.resumeWrites();
    }

    @Override
    public synchronized void suspendWrites() {
        writesResumed = false;
        if (netOut == null) {
            sink.suspendWrites();
        }
    }

    @Override
    public synchronized void wakeupWrites() {
        writesResumed = true;
        sink.wakeupWrites();
    }

    @Override
    public synchronized boolean isWriteResumed() {
        return writesResumed;
    }

    @Override
    public void awaitWritable() throws IOException {
        sink.awaitWritable();
    }

    @Override
    public void awaitWritable(long time, TimeUnit unit) throws IOException {
        sink.awaitWritable(time, unit);
    }

    @Override
    public XnioIoThread getWriteThread() {
        return sink.getWriteThread();
    }

    @Override
    public void setWriteReadyHandler(WriteReadyHandler handler) {
        this.writeHandler = handler;
    }

    @Override
    public XnioWorker getWorker() {
        return source.getWorker();
    }

    /** Runs the reader again for records we already hold, as long as it keeps taking them. */
    private void rerunReadListener() {
        ReadReadyHandler handler;
        int before;
        synchronized (this) {
            if (closed || !readsResumed) {
                return;
            }
            handler = readHandler;
            before = bufferedBytes();
        }
        handler.readReady();
        afterReadReady(before);
    }

    /**
     * After the reader ran: if it left whole records with us and took something this time, run it again (no
     * socket event will come for them); if it took nothing, wait for the socket, so a reader that stopped
     * reading without suspending cannot spin the IO thread.
     */
    private void afterReadReady(int before) {
        synchronized (this) {
            if (!closed && readsResumed && hasBufferedInput()) {
                if (bufferedBytes() != before) {
                    source.getReadThread().execute(rerunReadListener);
                } else {
                    source.resumeReads();
                }
            }
        }
    }

    private int bufferedBytes() {
        return (plainIn == null ? 0 : plainIn.getBuffer().remaining()) + (netIn == null ? 0 : netIn.getBuffer().remaining());
    }

    // ---- closing ----

    /** Best effort close_notify, then the socket closes; buffers go back to the pool. */
    synchronized void close() {
        if (closed) {
            return;
        }
        try {
            if (handshakeDone && !closeNotifyWrapped && flushNetOut()) {
                engine.closeOutbound();
                closeNotifyWrapped = true;
                wrapNoData();
                flushNetOut();
            }
        } catch (IOException | RuntimeException e) {
            // the peer is gone; nothing to tell it
        }
        closeQuietly();
    }

    private void closeQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        release(netIn);
        release(plainIn);
        release(netOut);
        netIn = plainIn = netOut = null;
        engine.closeOutbound();
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            // no close_notify from the peer: normal for HTTP clients that just close
        }
        connection.closeRaw();
        IoUtils.safeClose(connection); // its close listeners (Undertow's connection bookkeeping) run
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

    private final class RawReadReady implements ReadReadyHandler {
        @Override
        public void readReady() {
            ReadReadyHandler handler;
            int before;
            synchronized (TlsConduit.this) {
                if (closed) {
                    return;
                }
                if (!readsResumed) {
                    source.suspendReads();
                    return;
                }
                handler = readHandler;
                before = bufferedBytes();
            }
            handler.readReady();
            afterReadReady(before);
        }

        @Override
        public void forceTermination() {
            ReadReadyHandler handler = readHandler;
            if (handler != null) {
                handler.forceTermination();
            }
        }

        @Override
        public void terminated() {
            ReadReadyHandler handler = readHandler;
            if (handler != null) {
                handler.terminated();
            }
        }
    }

    private final class RawWriteReady implements WriteReadyHandler {
        @Override
        public void writeReady() {
            WriteReadyHandler handler;
            synchronized (TlsConduit.this) {
                if (closed) {
                    return;
                }
                try {
                    if (!flushNetOut()) {
                        return; // still full: we stay registered for writability
                    }
                    if (!closeNotifyWrapped && handshakeDone
                            && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                        afterEngine(HandshakeStatus.NEED_WRAP); // a key update's answer that had to wait
                    }
                } catch (IOException e) {
                    closeQuietly();
                    return;
                }
                if (!writesResumed) {
                    if (netOut == null) {
                        sink.suspendWrites();
                    }
                    return;
                }
                handler = writeHandler;
            }
            handler.writeReady();
        }

        @Override
        public void forceTermination() {
            WriteReadyHandler handler = writeHandler;
            if (handler != null) {
                handler.forceTermination();
            }
        }

        @Override
        public void terminated() {
            WriteReadyHandler handler = writeHandler;
            if (handler != null) {
                handler.terminated();
            }
        }
    }
}
