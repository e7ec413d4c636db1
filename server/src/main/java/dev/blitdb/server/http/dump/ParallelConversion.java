package dev.blitdb.server.http.dump;

import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitDocuments;
import dev.blitdb.blittable.BlitString;
import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.storage.documents.DocumentCommand;
import dev.blitdb.storage.documents.DocumentIds;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Converts the JSON of an import's {@code Document} lines to blittable on worker threads while the request thread
 * goes on reading (gunzip, line splitting) and committing: the documents are copied into chunks of about
 * {@value #CHUNK_BYTES} bytes, each chunk is converted on one of the workers, and {@link #next} hands the converted
 * chunks back <em>in stream order</em>, so the store sees the documents in the order of the dump. At most
 * {@link #maxPending} chunks are out at a time ({@link #add} then waits for the oldest), which bounds memory.
 *
 * <p>A chunk whose conversion fails at a line comes back with the documents before that line converted and the
 * failure with its line number: the import commits those and stops there, as a sequential import would.
 */
final class ParallelConversion implements AutoCloseable {

    static final int CHUNK_BYTES = 1 << 20;
    private static final int CHUNK_DOCUMENTS = 1024;
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** The converted documents of one chunk (with their line numbers), or up to the failing line. */
    record Converted(List<DocumentCommand.Put> puts, long[] lines, long bytes, RuntimeException failure,
                     long failedLine) {
    }

    /** A document that failed to convert, at its line of the stream. */
    static final class LineFailure extends RuntimeException {
        final long line;

        LineFailure(long line, RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
            this.line = line;
        }
    }

    /** Document JSON copied out of the line reader's buffer: one byte array, offsets per document. */
    private static final class Chunk {
        byte[] bytes = new byte[CHUNK_BYTES + (64 << 10)];
        int used;
        int count;
        int[] starts = new int[CHUNK_DOCUMENTS + 1];
        long[] lines = new long[CHUNK_DOCUMENTS];

        void add(byte[] src, int off, int len, long line) {
            if (used + len > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + len));
            }
            System.arraycopy(src, off, bytes, used, len);
            starts[count] = used;
            lines[count] = line;
            used += len;
            count++;
            starts[count] = used;
        }

        boolean full() {
            return used >= CHUNK_BYTES || count >= CHUNK_DOCUMENTS;
        }
    }

    /** A worker thread's converter and readers (pool threads live as long as this import). */
    private static final class Tools {
        final BlitWriter writer = new BlitWriter();
        final BlitDocument document = new BlitDocument();
        final BlitString id = new BlitString();
    }

    private final ExecutorService workers;
    private final ThreadLocal<Tools> tools = ThreadLocal.withInitial(Tools::new);
    private final ArrayDeque<Future<Converted>> pending = new ArrayDeque<>();
    private final int maxPending;
    private Chunk current = new Chunk();

    /** {@code threads} workers (at least 1), named after {@code database}. */
    ParallelConversion(String database, int threads) {
        int n = Math.max(1, threads);
        this.maxPending = 2 * n;
        this.workers = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "import-convert-" + database + "-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Queues the JSON at {@code src[off, off + len)} (one document, read at {@code line}); the bytes are copied.
     * Returns a converted chunk that must be applied now when the queue was full, else null.
     */
    Converted add(byte[] src, int off, int len, long line) {
        current.add(src, off, len, line);
        if (!current.full()) {
            return null;
        }
        submit();
        return pending.size() > maxPending ? take() : null;
    }

    /** The oldest converted chunk if it is done already (null otherwise): lets the reader apply without waiting. */
    Converted poll() {
        Future<Converted> oldest = pending.peekFirst();
        return oldest != null && oldest.isDone() ? take() : null;
    }

    /** Submits the chunk being filled; {@link #next} then returns every chunk, in order, null when none is left. */
    Converted next() {
        submit();
        return pending.isEmpty() ? null : take();
    }

    private void submit() {
        if (current.count == 0) {
            return;
        }
        Chunk chunk = current;
        current = new Chunk();
        pending.addLast(workers.submit(() -> convert(chunk)));
    }

    private Converted take() {
        Future<Converted> oldest = pending.removeFirst();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return oldest.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the chunk is converted soon; the caller's cancel check comes after
                }
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Converted convert(Chunk chunk) {
        Tools t = tools.get();
        List<DocumentCommand.Put> puts = new ArrayList<>(chunk.count);
        long bytes = 0;
        for (int i = 0; i < chunk.count; i++) {
            int from = chunk.starts[i];
            int len = chunk.starts[i + 1] - from;
            try {
                byte[] blittable = t.writer.convert(chunk.bytes, from, len).toByteArray();
                t.document.wrap(blittable);
                if (!BlitDocuments.metadataString(t.document, BlitDocuments.ID_KEY, t.id)) {
                    throw ImportHandler.lineError(chunk.lines[i], "the document has no @metadata.@id string");
                }
                String id = t.id.toString();
                DocumentIds.key(id); // an invalid id fails here, at its line, not later with its whole batch
                puts.add(new DocumentCommand.Put(id, blittable, null));
                bytes += len;
            } catch (RuntimeException e) {
                return new Converted(puts, chunk.lines, bytes, e, chunk.lines[i]);
            }
        }
        return new Converted(puts, chunk.lines, bytes, null, 0);
    }

    /** Stops the workers; chunks still out are dropped (the import is over, one way or the other). */
    @Override
    public void close() {
        for (Future<Converted> f : pending) {
            f.cancel(false);
        }
        pending.clear();
        workers.shutdownNow();
    }
}
