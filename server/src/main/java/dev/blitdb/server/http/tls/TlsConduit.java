package dev.blitdb.server.http.tls;

import io.undertow.connector.ByteBufferPool;
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
import javax.net.ssl.SSLSession;
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
 * <p>The records in flight and their pooled buffers are {@link TlsRecords}'; the handshake, initial and later, is
 * {@link TlsHandshake}'s. All state is guarded by this object's monitor: the IO thread and a worker thread in
 * blocking mode may both call in.
 */
final class TlsConduit implements StreamSourceConduit, StreamSinkConduit {

    private final TlsConnection connection;
    private final StreamSourceConduit source;
    private final StreamSinkConduit sink;
    private final SSLEngine engine;
    private final TlsRecords records;
    private final TlsHandshake handshake;
    private final ByteBuffer[] one = new ByteBuffer[1];
    private final long[] count = new long[1];
    private final Runnable rerunReadListener = this::rerunReadListener;

    /** A re-run of the read listener is queued on the IO thread (at most one at a time). */
    private boolean rerunQueued;
    /** Listener passes in a row that took nothing while records waited: the next re-run waits 2^n ms, up to 16. */
    private int idlePasses;

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
    private volatile SSLSession session; // the established session, read by every request (Undertow's scheme check)

    TlsConduit(TlsConnection connection, StreamSourceConduit source, StreamSinkConduit sink, SSLEngine engine,
               ByteBufferPool pool, RecordScratch scratch) {
        this.connection = connection;
        this.source = source;
        this.sink = sink;
        this.engine = engine;
        this.records = new TlsRecords(source, sink, engine, pool, scratch);
        this.handshake = new TlsHandshake(engine, records);
        source.setReadReadyHandler(new RawReadReady());
        sink.setWriteReadyHandler(new RawWriteReady());
    }

    SSLEngine engine() {
        return engine;
    }

    synchronized boolean handshakeDone() {
        return handshakeDone;
    }

    /**
     * The engine's session; once the handshake is done, the one it established, without asking the engine (JSSE
     * takes its engine lock for it, and Undertow asks twice per HTTP/1.1 request). It stays the same for the
     * connection's life: key updates keep it, and a renegotiation, which would replace it, is refused.
     */
    SSLSession session() {
        SSLSession established = session;
        return established != null ? established : engine.getSession();
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
        TlsHandshake.Progress progress;
        try {
            progress = handshake.advance();
        } finally {
            records.keepInput();
        }
        switch (progress) {
            case NEEDS_READ -> awaitSocket(true);
            case NEEDS_WRITE -> awaitSocket(false);
            case FINISHED -> {
                handshakeDone = true;
                session = engine.getSession();
                readsResumed = writesResumed = false;
                source.suspendReads();
                sink.suspendWrites();
                return true;
            }
        }
        return false;
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

    /** After an unwrap or wrap: a key update is answered, a renegotiation closes the connection. */
    private void afterEngine(HandshakeStatus status) throws IOException {
        try {
            if (handshake.afterEngine(status, inboundDone, closeNotifyWrapped)) {
                sink.resumeWrites(); // the write-ready handler sends the answer
            }
        } catch (TlsHandshake.RenegotiationRefused e) {
            closeQuietly();
            throw e;
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
        long n;
        try {
            n = unwrapInto(dsts, off, len);
        } finally {
            records.keepInput(); // the next read may come from another thread
        }
        // Whoever called (our listener pass, or Undertow's HTTP/2 channel re-running its own listener from an IO
        // task, which bypasses our pass), what it left with us gets no socket event: while reads are resumed the
        // listener is run again for it. Without this an HTTP/2 upload stalled now and then until the read timeout
        // reset its stream (TlsConduitReadinessTest).
        if (n > 0 && readsResumed && records.hasBufferedInput()) {
            queueRerun();
        }
        return n;
    }

    private long unwrapInto(ByteBuffer[] dsts, int off, int len) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (readShutdown) {
            return -1;
        }
        if (records.hasPlaintext()) {
            return records.takePlaintext(dsts, off, len);
        }
        if (inboundDone) {
            return -1;
        }
        long total = 0;
        while (Buffers.hasRemaining(dsts, off, len)) {
            if (!records.hasCompleteRecord()) {
                if (total > 0) {
                    break; // what we have is the reader's; more may come with the next readiness event
                }
                int n = records.fill();
                if (n <= 0) {
                    if (n < 0) {
                        inboundDone = true;
                        return -1; // end of stream without close_notify: as a plain socket's end
                    }
                    return 0;
                }
                continue;
            }
            SSLEngineResult result = records.unwrap(dsts, off, len, count);
            total += count[0];
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                inboundDone = true;
                afterEngine(result.getHandshakeStatus());
                return total > 0 ? total : -1;
            }
            afterEngine(result.getHandshakeStatus());
        }
        return total;
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
        count[0] = 0;
        while (Buffers.hasRemaining(srcs, off, len) && records.flush()) {
            SSLEngineResult result = records.wrap(srcs, off, len, count);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new ClosedChannelException();
            }
            if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                handshake.runTasks();
            }
            if (!records.hasOutput() && result.bytesConsumed() == 0) {
                break; // the engine wants a handshake message first (refused in afterEngine on the next read)
            }
        }
        records.flush();
        return count[0];
    }

    @Override
    public int writeFinal(ByteBuffer src) throws IOException {
        return Conduits.writeFinalBasic(this, src);
    }

    @Override
    public long writeFinal(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return Conduits.writeFinalBasic(this, srcs, offset, length);
    }

    @Override
    public synchronized boolean flush() throws IOException {
        if (closed) {
            return true;
        }
        if (!records.flush()) {
            return false;
        }
        if (writeShutdown) {
            if (!closeNotifyWrapped) {
                engine.closeOutbound();
                closeNotifyWrapped = true;
                records.wrapNoData();
                if (!records.flush()) {
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
        if (records.hasBufferedInput()) {
            queueRerun(); // no socket event will come for bytes we hold
        }
    }

    /** Queues one re-run of the read listener on the IO thread, unless one is queued already. */
    private void queueRerun() {
        if (!rerunQueued) {
            rerunQueued = true;
            source.getReadThread().execute(rerunReadListener);
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
        queueRerun();
    }

    @Override
    public synchronized boolean isReadResumed() {
        return readsResumed;
    }

    @Override
    public void awaitReadable() throws IOException {
        synchronized (this) {
            if (records.hasBufferedInput() || closed || inboundDone) {
                return;
            }
        }
        source.awaitReadable();
    }

    @Override
    public void awaitReadable(long time, TimeUnit unit) throws IOException {
        synchronized (this) {
            if (records.hasBufferedInput() || closed || inboundDone) {
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
        records.releaseInput();
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
        if (!records.hasOutput()) {
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
            rerunQueued = false;
            if (closed || !readsResumed) {
                return;
            }
            handler = readHandler;
            before = records.bufferedBytes();
        }
        handler.readReady();
        afterReadReady(before);
    }

    /**
     * After the reader ran: if it left whole records with us and took something this time, run it again (no
     * socket event will come for them). If it took nothing but stays resumed, it is run again too, as a plain
     * socket holding unread bytes stays readable for a reader that passed once; those re-runs wait 1, 2, 4 … 16 ms,
     * so a reader that never takes anything cannot spin the IO thread.
     */
    private void afterReadReady(int before) {
        synchronized (this) {
            if (!closed && readsResumed && records.hasBufferedInput()) {
                if (records.bufferedBytes() != before) {
                    idlePasses = 0;
                    queueRerun();
                } else if (!rerunQueued) {
                    rerunQueued = true;
                    long wait = 1L << Math.min(idlePasses++, 4);
                    source.getReadThread().executeAfter(rerunReadListener, wait, TimeUnit.MILLISECONDS);
                }
            } else {
                idlePasses = 0;
            }
        }
    }

    // ---- closing ----

    /** Best effort close_notify, then the socket closes; buffers go back to the pool. */
    synchronized void close() {
        if (closed) {
            return;
        }
        try {
            if (handshakeDone && !closeNotifyWrapped && records.flush()) {
                engine.closeOutbound();
                closeNotifyWrapped = true;
                records.wrapNoData();
                records.flush();
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
        records.releaseAll();
        engine.closeOutbound();
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            // no close_notify from the peer: normal for HTTP clients that just close
        }
        connection.closeRaw();
        IoUtils.safeClose(connection); // its close listeners (Undertow's connection bookkeeping) run
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
                before = records.bufferedBytes();
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
                    if (!records.flush()) {
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
                    if (!records.hasOutput()) {
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
