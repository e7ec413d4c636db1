package dev.blitdb.server.http.body;

import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.errors.ApiException;
import io.undertow.server.HttpServerExchange;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a request body, once, into a buffer owned by the calling worker thread and reused across requests, so
 * steady-state writes allocate no body arrays. A body over the limit is refused with 413 as soon as that is
 * known: from {@code Content-Length} before reading a byte, or, for chunked bodies, when the running count
 * passes the limit; the connection is then closed rather than drained.
 *
 * <p>The returned {@link Body} is valid only on this thread and only until its next {@link #read}.
 */
public final class RequestBodyReader {

    /** A buffer that grew past this for one large body is dropped before the next body, not kept forever. */
    static final int RETAINED_CAPACITY = 1 << 20;
    private static final int INITIAL_CAPACITY = 16 << 10;

    private static final ThreadLocal<byte[][]> BUFFER = ThreadLocal.withInitial(() -> new byte[][] {
            new byte[INITIAL_CAPACITY]});

    private final long maxBytes;

    public RequestBodyReader(long maxBytes) {
        if (maxBytes <= 0 || maxBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("body limit must be between 1 and " + (Integer.MAX_VALUE - 16)
                    + " bytes, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The bytes of one request body: {@code array[0, length)}. */
    public record Body(byte[] array, int length) {
    }

    /** Reads the whole body of {@code exchange}, which must be in blocking mode on a worker thread. */
    public Body read(HttpServerExchange exchange) throws IOException {
        long declared = exchange.getRequestContentLength();
        if (declared > maxBytes) {
            throw tooLarge(exchange, "the request body is " + declared + " bytes");
        }
        byte[][] holder = BUFFER.get();
        byte[] buffer = holder[0];
        if (buffer.length > RETAINED_CAPACITY && declared < RETAINED_CAPACITY) {
            buffer = new byte[INITIAL_CAPACITY];
        }
        if (declared > buffer.length) {
            buffer = new byte[(int) declared];
        }
        InputStream in = exchange.getInputStream();
        int length = 0;
        while (true) {
            if (length == buffer.length) {
                if (length >= maxBytes) {
                    // One more byte would pass the limit: probe for it before refusing.
                    if (in.read() < 0) {
                        break;
                    }
                    throw tooLarge(exchange, "the request body is more than " + maxBytes + " bytes");
                }
                buffer = Arrays.copyOf(buffer, (int) Math.min(maxBytes, Math.max(buffer.length * 2L, 1)));
            }
            int n;
            try {
                n = in.read(buffer, length, buffer.length - length);
            } catch (IOException e) {
                // The client stalled past the I/O timeout or went away: its fault, not a server error.
                exchange.setPersistent(false);
                throw new ApiException(ApiError.BAD_REQUEST, "could not read the request body after " + length
                        + " bytes: " + e.getMessage() + " (a stalled client is cut off after --io-timeout)", e);
            }
            if (n < 0) {
                break;
            }
            length += n;
            if (length > maxBytes) {
                throw tooLarge(exchange, "the request body is more than " + maxBytes + " bytes");
            }
        }
        holder[0] = buffer;
        return new Body(buffer, length);
    }

    private ApiException tooLarge(HttpServerExchange exchange, String what) {
        return LingeringClose.answerThenDrain(exchange, new ApiException(ApiError.REQUEST_TOO_LARGE, what
                + "; the limit is " + maxBytes + " bytes (--max-body-size)"));
    }
}
