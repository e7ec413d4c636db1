package dev.blitdb.client.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blitdb.client.exceptions.BlitDbException;
import dev.blitdb.client.http.ErrorMapper;
import dev.blitdb.client.http.HttpResult;
import dev.blitdb.client.http.RequestExecutor;
import dev.blitdb.client.http.Urls;
import dev.blitdb.client.session.EntityMapper;
import dev.blitdb.client.session.HiLoIdGenerator;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Streams many documents to the server over one HTTP request ({@code POST /databases/{db}/bulk_insert}, one
 * JSON document per line with its id in {@code @metadata.@id}); the server converts and commits them in large
 * batches as they arrive. Much faster than sessions for loading data: no change tracking, no per-batch round
 * trip. Documents are written as given — existing ones are overwritten, without concurrency checks.
 *
 * <pre>{@code
 * try (BulkInsertOperation bulk = store.bulkInsert()) {
 *     for (User u : users) {
 *         bulk.store(u);          // id generated (hi-lo) when the entity has none
 *     }
 * }                               // close() waits until everything is committed, or throws
 * }</pre>
 *
 * {@link #close()} is where the outcome is known: it returns normally once the server has committed every
 * document, or throws {@link BulkInsertException} saying which document failed and how many were committed
 * before it. (After a bad document the server keeps reading and dropping the rest of the stream, so that its
 * answer can be delivered; the failure therefore surfaces at {@code close()}. When the exchange fails outright —
 * the connection is lost — the next {@code store} throws.) Not thread-safe: one producer thread per operation
 * (run several operations in parallel for more throughput).
 */
public final class BulkInsertOperation implements AutoCloseable {

    /** Chunks handed to the HTTP client; 8 queued chunks of 256 KiB bound the memory of a bulk insert. */
    private static final int CHUNK_BYTES = 256 << 10;
    private static final int QUEUED_CHUNKS = 8;

    private final EntityMapper mapper;
    private final HiLoIdGenerator ids;
    private final String path;
    private final ChunkQueueStream stream = new ChunkQueueStream(QUEUED_CHUNKS);
    private final DocumentLineWriter lines;
    private final CompletableFuture<HttpResult> response;
    private long count;
    private boolean closed;
    private BulkInsertResult result;

    /** Starts the request; applications call {@code DocumentStore.bulkInsert()}. */
    public BulkInsertOperation(RequestExecutor executor, String database, EntityMapper mapper, HiLoIdGenerator ids) {
        this.mapper = mapper;
        this.ids = ids;
        this.path = Urls.database(database, "/bulk_insert");
        this.lines = new DocumentLineWriter(mapper);
        this.response = executor.stream("POST", path, HttpRequest.BodyPublishers.ofInputStream(() -> stream));
    }

    /** Stores {@code entity} under its identity property, or a new hi-lo id (written back); returns the id. */
    public String store(Object entity) {
        String id = mapper.idOf(Objects.requireNonNull(entity, "entity"));
        if (id == null) {
            String collection = mapper.collectionName(entity.getClass());
            id = ids.nextId(collection, mapper.conventions().idPrefix(collection));
            mapper.setId(entity, id);
        }
        store(entity, id);
        return id;
    }

    /** Stores {@code entity} under {@code id}. */
    public void store(Object entity, String id) {
        Objects.requireNonNull(id, "id");
        if (closed) {
            throw new IllegalStateException("this bulk insert is closed");
        }
        if (response.isDone()) {
            throw failure(); // the server stopped early; storing more would be lost
        }
        lines.write(entity, id);
        count++;
        if (lines.size() >= CHUNK_BYTES) {
            sendChunk();
        }
    }

    /** How many documents have been handed to this operation. */
    public long count() {
        return count;
    }

    private void sendChunk() {
        if (lines.size() == 0) {
            return;
        }
        byte[] chunk = lines.take();
        try {
            if (!stream.offer(chunk, response::isDone)) {
                throw failure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlitDbException("interrupted while streaming a bulk insert", e);
        }
    }

    /**
     * Sends what is left, ends the stream and waits for the server's answer; throws {@link BulkInsertException}
     * when the insert stopped. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            if (result == null) {
                throw failure();
            }
            return;
        }
        closed = true;
        sendChunk();
        try {
            stream.end(response::isDone);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlitDbException("interrupted while finishing a bulk insert", e);
        }
        HttpResult answer = answer();
        if (answer.status() != 200) {
            throw failure();
        }
        JsonNode body = parse(answer.body());
        result = new BulkInsertResult(body.path("Inserted").asLong(), body.path("Batches").asLong(),
                body.path("DurationInMs").asLong());
    }

    /** The outcome, once {@link #close()} has returned normally. */
    public BulkInsertResult result() {
        if (result == null) {
            throw new IllegalStateException("the bulk insert has not completed; call close() first");
        }
        return result;
    }

    private HttpResult answer() {
        try {
            return response.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new BulkInsertException("bulk insert failed after " + count + " documents were handed to it: "
                    + cause.getMessage(), -1, -1, cause);
        }
    }

    private BulkInsertException failure() {
        closed = true;
        HttpResult answer = answer();
        JsonNode error = parse(answer.body());
        BlitDbException cause = ErrorMapper.toException(answer.status(), answer.body(), "POST", path);
        long index = error.path("Index").asLong(-1);
        long committed = error.path("Committed").asLong(-1);
        return new BulkInsertException(cause.getMessage(), index, committed, cause);
    }

    private JsonNode parse(byte[] body) {
        try {
            return mapper.mapper().readTree(body);
        } catch (IOException e) {
            throw new BlitDbException("the server sent a bulk insert answer that is not JSON: " + e.getMessage(), e);
        }
    }
}
