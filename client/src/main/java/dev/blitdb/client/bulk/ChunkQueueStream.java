package dev.blitdb.client.bulk;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The bridge between the thread that stores documents and the HTTP client that sends them: the producer
 * {@link #offer}s filled chunks, the HTTP client reads them as an {@link InputStream}. The queue holds at most a
 * few chunks, so a producer faster than the network (or the server) waits — backpressure — and memory stays
 * at {@code capacity × chunk size}.
 */
final class ChunkQueueStream extends InputStream {

    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> queue;
    private byte[] current;
    private int pos;
    private boolean ended;

    ChunkQueueStream(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Queues {@code chunk}, waiting while the queue is full; gives up (returns false) as soon as {@code stop}
     * says the exchange is over — the server answered early (an error) or the connection failed — since nobody
     * will read any more.
     */
    boolean offer(byte[] chunk, BooleanSupplier stop) throws InterruptedException {
        while (!queue.offer(chunk, 50, TimeUnit.MILLISECONDS)) {
            if (stop.getAsBoolean()) {
                return false;
            }
        }
        return true;
    }

    /** Marks the end of the stream. */
    boolean end(BooleanSupplier stop) throws InterruptedException {
        return offer(END, stop);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (current == null || pos == current.length) {
            if (ended) {
                return -1;
            }
            try {
                current = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for bulk insert data", e);
            }
            pos = 0;
            if (current == END) {
                ended = true;
                return -1;
            }
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }
}
