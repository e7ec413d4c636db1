package dev.blitdb.server.http.body;

import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.errors.ApiException;
import io.undertow.server.HttpServerExchange;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Reads request bodies with bounded heap.
 *
 * <ul>
 *   <li>A body of at most {@link #RETAINED_CAPACITY} bytes goes into a buffer owned by the worker thread and reused
 *   (steady small writes allocate no body arrays); a buffer never stays larger than that.</li>
 *   <li>A larger body first takes a grant from the server's {@link LargeRequestBudget} (or waits, or gets 503
 *   {@code ServerBusy}); up to {@link #SPOOL_THRESHOLD} it is read into a heap array of its own, above that
 *   {@link #open} spools it to the server's {@link ScratchSpace} and hands out a read-only mapping of it; a body
 *   opened with {@link #openDocument} also gets read-write room there for the document built from it, and is
 *   charged {@link #chargeOffHeap} rather than {@link #charge}.</li>
 *   <li>A body over the limit is refused with 413 as soon as that is known: from {@code Content-Length} before
 *   reading a byte, or, for chunked bodies, when the running count passes the limit; the answer goes out first and
 *   what the client keeps sending is discarded for a bounded time ({@link LingeringClose}).</li>
 * </ul>
 *
 * <p>{@link #read} (small JSON bodies: queries, index definitions) returns a heap {@link Body}, valid only on this
 * thread and until its next {@code read}; {@link #openDocument} (PUT) and {@link #open} (bulk_docs) return a
 * {@link RequestBody} to close when done.
 */
public final class RequestBodyReader {

    /** Per-thread buffers are kept up to this size; larger bodies are charged to the budget. */
    public static final int RETAINED_CAPACITY = 64 << 10;
    /** Bodies above this are spooled to scratch space instead of a heap array. */
    public static final int SPOOL_THRESHOLD = 1 << 20;
    /** Same as {@link #RETAINED_CAPACITY}: the size above which a body is charged to the budget. */
    public static final int CHARGED_ABOVE = RETAINED_CAPACITY;
    private static final int INITIAL_CAPACITY = 16 << 10;

    private static final ThreadLocal<byte[][]> BUFFER = ThreadLocal.withInitial(() -> new byte[][] {
            new byte[INITIAL_CAPACITY]});

    private final long maxBytes;
    private final LargeRequestBudget budget;
    private final ScratchSpace scratch;

    /** A reader without spooling and with an unlimited budget (tools and tests of the plumbing). */
    public RequestBodyReader(long maxBytes) {
        this(maxBytes, new LargeRequestBudget(Long.MAX_VALUE), null);
    }

    /** @param scratch where bodies above {@link #SPOOL_THRESHOLD} go; null keeps them on the heap */
    public RequestBodyReader(long maxBytes, LargeRequestBudget budget, ScratchSpace scratch) {
        if (maxBytes <= 0 || maxBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("body limit must be between 1 and " + (Integer.MAX_VALUE - 16)
                    + " bytes, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.budget = budget;
        this.scratch = scratch;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public LargeRequestBudget budget() {
        return budget;
    }

    /**
     * The heap a request holding a body of {@code bodyBytes} is charged: the body when it is on the heap, the
     * blittable document it is converted into (about its size), the copy the store stamps with {@code @metadata}
     * before copying it into its pages (the same again, transient) and the parser's text buffer for escaped
     * strings.
     */
    static long charge(long bodyBytes, boolean onHeap) {
        return (onHeap ? 4 : 3) * bodyBytes;
    }

    /**
     * The heap charged for a spooled body converted into one document built in scratch space (FORMAT.md §14):
     * the blittable bytes and the store's stamped copy are off the heap, so what remains is two 1 MiB windows
     * (the converter's and the store's stamping builder's) and the builder's entry tables — 8 bytes per value of
     * the open containers, about half the body for documents of small values (an array of n items holds 8n
     * bytes until it ends).
     */
    static long chargeOffHeap(long bodyBytes) {
        return bodyBytes / 2 + 2L * dev.blitdb.blittable.BlitBuilder.WINDOW;
    }

    /**
     * {@link #open}, for a body that becomes one document built in scratch space ({@link RequestBody#spillSpace()}):
     * a spooled body is charged {@link #chargeOffHeap}, not {@link #charge}.
     */
    public RequestBody openDocument(HttpServerExchange exchange) throws IOException {
        return open(exchange, true);
    }

    /** The bytes of one small request body: {@code array[0, length)}. */
    public record Body(byte[] array, int length) {
    }

    /**
     * Reads the whole body of {@code exchange} onto the heap, for routes whose bodies are small JSON. The exchange
     * must be in blocking mode on a worker thread. A body above {@link #RETAINED_CAPACITY} is read into an array
     * of its own (given up with the request) after taking a budget grant for the time it is read.
     */
    public Body read(HttpServerExchange exchange) throws IOException {
        long declared = declared(exchange);
        if (declared > RETAINED_CAPACITY) {
            try (LargeRequestBudget.Grant grant = budget.acquire(charge(declared, true), exchange)) {
                return readInto(exchange, exchange.getInputStream(), new byte[(int) declared], 0, grant);
            }
        }
        byte[][] holder = BUFFER.get();
        byte[] buffer = holder[0];
        if (declared > buffer.length) {
            buffer = new byte[(int) declared];
        }
        Body body = readInto(exchange, exchange.getInputStream(), buffer, 0, null);
        // The array may have grown (chunked); keep it for the thread only while it is small.
        if (body.array().length <= RETAINED_CAPACITY) {
            holder[0] = body.array();
        }
        return body;
    }

    /**
     * Opens the body of {@code exchange} (blocking mode, worker thread): small ones in the thread's buffer (valid
     * until the thread's next body), large ones charged to the budget and, above {@link #SPOOL_THRESHOLD}, spooled
     * to scratch space. Close the result when the request is done with it.
     */
    public RequestBody open(HttpServerExchange exchange) throws IOException {
        return open(exchange, false);
    }

    private RequestBody open(HttpServerExchange exchange, boolean offHeapDocument) throws IOException {
        long declared = declared(exchange);
        InputStream in = exchange.getInputStream();
        if (declared >= 0 && declared <= RETAINED_CAPACITY) {
            Body body = read(exchange);
            return new RequestBody(MemorySegment.ofArray(body.array()).asSlice(0, body.length()), null, null);
        }
        if (declared >= 0 && (declared <= SPOOL_THRESHOLD || scratch == null)) {
            LargeRequestBudget.Grant grant = budget.acquire(charge(declared, true), exchange);
            try {
                Body body = readInto(exchange, in, new byte[(int) declared], 0, grant);
                return new RequestBody(MemorySegment.ofArray(body.array()).asSlice(0, body.length()), null, grant);
            } catch (IOException | RuntimeException e) {
                grant.close();
                throw e;
            }
        }
        if (declared >= 0) {
            return spool(exchange, in, declared, new byte[0], 0, offHeapDocument);
        }
        // Chunked: read into the thread's buffer while small, then an array of its own, then spool.
        byte[][] holder = BUFFER.get();
        byte[] buffer = holder[0];
        int length = 0;
        while (true) {
            int n = read(exchange, in, buffer, length, buffer.length - length);
            if (n < 0) {
                return new RequestBody(MemorySegment.ofArray(buffer).asSlice(0, length), null, null);
            }
            length += n;
            if (length == buffer.length) {
                break;
            }
        }
        return spool(exchange, in, -1, buffer, length, offHeapDocument);
    }

    /** Spools the rest of a large body (after {@code head[0, headLength)}) to scratch space, charged as it grows. */
    private RequestBody spool(HttpServerExchange exchange, InputStream in, long declared, byte[] head, int headLength,
                              boolean offHeapDocument) throws IOException {
        long expected = declared >= 0 ? declared : Math.max(SPOOL_THRESHOLD, 2L * headLength);
        java.util.function.LongUnaryOperator charge = offHeapDocument && scratch != null
                ? RequestBodyReader::chargeOffHeap : bytes -> charge(bytes, false);
        LargeRequestBudget.Grant grant = budget.acquire(charge.applyAsLong(expected), exchange);
        ScratchSpace.Region region = null;
        try {
            if (scratch == null) {
                // No scratch space configured: a heap array of its own, grown as the body arrives.
                byte[] array = Arrays.copyOf(head, (int) Math.min(maxBytes, Math.max(expected, head.length)));
                Body body = readInto(exchange, in, array, headLength, grant);
                return new RequestBody(MemorySegment.ofArray(body.array()).asSlice(0, body.length()), null, grant);
            }
            region = scratch.allocate(declared >= 0 ? declared : maxBytes);
            region.write(head, headLength);
            byte[] chunk = new byte[64 << 10];
            long total = headLength;
            while (true) {
                int n = read(exchange, in, chunk, 0, chunk.length);
                if (n < 0) {
                    break;
                }
                total += n;
                if (total > maxBytes) {
                    throw tooLarge(exchange, "the request body is more than " + maxBytes + " bytes");
                }
                if (charge.applyAsLong(total) > grant.bytes()) {
                    grant.growTo(charge.applyAsLong(Math.min(maxBytes, total * 2)), exchange);
                }
                region.write(chunk, n);
            }
            return new RequestBody(region.map(), region, grant);
        } catch (IOException | RuntimeException e) {
            if (region != null) {
                region.close();
            }
            grant.close();
            if (e instanceof IOException io && !(e instanceof java.io.InterruptedIOException)
                    && String.valueOf(io.getMessage()).contains("No space left")) {
                throw new ApiException(ApiError.INSUFFICIENT_STORAGE, "no disk space left to spool the request body to "
                        + scratch.path() + ": " + io.getMessage(), io);
            }
            throw e;
        }
    }

    private long declared(HttpServerExchange exchange) {
        long declared = exchange.getRequestContentLength();
        if (declared > maxBytes) {
            throw tooLarge(exchange, "the request body is " + declared + " bytes");
        }
        return declared;
    }

    /** Reads the rest of the body into {@code buffer} from {@code length}, growing it up to the limit. */
    private Body readInto(HttpServerExchange exchange, InputStream in, byte[] buffer, int length,
                         LargeRequestBudget.Grant grant) throws IOException {
        while (true) {
            if (length == buffer.length) {
                if (length >= maxBytes) {
                    // One more byte would pass the limit: probe for it before refusing.
                    if (in.read() < 0) {
                        break;
                    }
                    throw tooLarge(exchange, "the request body is more than " + maxBytes + " bytes");
                }
                long grown = Math.min(maxBytes, Math.max(buffer.length * 2L, 1));
                if (grant != null) {
                    grant.growTo(charge(grown, true), exchange);
                }
                buffer = Arrays.copyOf(buffer, (int) grown);
            }
            int n = read(exchange, in, buffer, length, buffer.length - length);
            if (n < 0) {
                break;
            }
            length += n;
            if (length > maxBytes) {
                throw tooLarge(exchange, "the request body is more than " + maxBytes + " bytes");
            }
        }
        return new Body(buffer, length);
    }

    private int read(HttpServerExchange exchange, InputStream in, byte[] buffer, int at, int room) {
        try {
            return in.read(buffer, at, room);
        } catch (IOException e) {
            // The client stalled past the I/O timeout or went away: its fault, not a server error.
            exchange.setPersistent(false);
            throw new ApiException(ApiError.BAD_REQUEST, "could not read the request body after " + at
                    + " bytes: " + e.getMessage() + " (a stalled client is cut off after --io-timeout)", e);
        }
    }

    private ApiException tooLarge(HttpServerExchange exchange, String what) {
        return LingeringClose.answerThenDrain(exchange, new ApiException(ApiError.REQUEST_TOO_LARGE, what
                + "; the limit is " + maxBytes + " bytes (--max-body-size)"));
    }
}
