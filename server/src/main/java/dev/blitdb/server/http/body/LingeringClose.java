package dev.blitdb.server.http.body;

import dev.blitdb.server.http.errors.ApiException;
import dev.blitdb.server.http.errors.ErrorResponder;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;

import java.io.IOException;
import java.io.InputStream;

/**
 * Refusing a body the client is already sending: answer first, then read and discard what keeps arriving, for at
 * most {@link #MAX_TIME_MILLIS} and {@link #MAX_BYTES}, before the connection closes. Closing a socket with unread
 * data makes the kernel send a reset, which destroys the answer in the client's receive buffer: a client that
 * writes its whole body before reading (no {@code Expect: 100-continue}: Python's http.client, many SDKs) would
 * see "connection reset" instead of the 413. A client that did send {@code Expect: 100-continue} and was not told
 * to continue sends no body, so nothing is drained for it.
 */
public final class LingeringClose {

    /** Discard at most this much after the answer (a client may be sending hundreds of MB). */
    public static final long MAX_BYTES = 256L << 20;
    /** …and for at most this long (a read that blocks is also cut off by --io-timeout). */
    public static final long MAX_TIME_MILLIS = 10_000;

    private LingeringClose() {
    }

    /**
     * Sends {@code failure} as the response, drains the request body (bounded), and returns {@code failure} for the
     * caller to throw; the error handler then finds the response sent and only closes the connection.
     */
    public static ApiException answerThenDrain(HttpServerExchange exchange, ApiException failure) {
        exchange.setPersistent(false);
        if (HttpContinue.requiresContinueResponse(exchange) || exchange.isResponseStarted()) {
            return failure; // no body is on its way (100 Continue was never sent), or an answer already went out
        }
        try {
            ErrorResponder.sendWithoutEnding(exchange, failure);
            drain(exchange.getInputStream());
        } catch (IOException e) {
            // The client went away or stalled: nothing more to do than close.
        }
        return failure;
    }

    private static void drain(InputStream in) throws IOException {
        byte[] discard = new byte[16 << 10];
        long deadline = System.nanoTime() + MAX_TIME_MILLIS * 1_000_000;
        long drained = 0;
        while (drained < MAX_BYTES && System.nanoTime() < deadline) {
            int n = in.read(discard);
            if (n < 0) {
                return;
            }
            drained += n;
        }
    }
}
