package dev.blitdb.client.exceptions;

/**
 * A write's fate is unknown: the cluster's leader took it but lost leadership (or its majority) before it was known
 * committed (HTTP 504 {@code WriteOutcomeUnknown}), or the connection died after the request was sent. It may have
 * been applied, or not. The client never retries such a write by itself: read the document back (or write again
 * with the change vector you expect) to find out.
 */
public class WriteOutcomeUnknownException extends BlitDbException {

    public WriteOutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
