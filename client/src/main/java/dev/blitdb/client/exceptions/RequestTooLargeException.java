package dev.blitdb.client.exceptions;

/**
 * HTTP 413: a request body, or one document in it, is larger than the server accepts ({@code --max-body-size}).
 * Split a large {@code saveChanges} into several sessions, or use bulk insert, whose limit is per document.
 */
public class RequestTooLargeException extends ServerErrorException {

    /** A 413 with the server's explanation (sizes and the limit). */
    public RequestTooLargeException(String message, String url) {
        super(413, "RequestTooLarge", message, url);
    }
}
