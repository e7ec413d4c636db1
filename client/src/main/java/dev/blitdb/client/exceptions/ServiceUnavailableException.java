package dev.blitdb.client.exceptions;

/**
 * HTTP 503: the database is loading or closing, or no server in the store's URL list answered. Retrying later
 * is the usual answer.
 */
public class ServiceUnavailableException extends BlitDbException {

    /** The server said 503, or no server could be reached. */
    public ServiceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
