package dev.blitdb.client.exceptions;

/**
 * A request did not complete within the store's request timeout (see
 * {@code DocumentConventions#requestTimeout}). Timed-out requests are not retried: a write may still commit.
 */
public class BlitDbTimeoutException extends BlitDbException {

    /** A timeout of the request described by {@code message}. */
    public BlitDbTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
