package dev.blitdb.client.exceptions;

/** HTTP 404 {@code IndexDoesNotExist}: a query or an operation named an index the database does not have. */
public class IndexDoesNotExistException extends ServerErrorException {

    /** A 404 naming the missing index in its message. */
    public IndexDoesNotExistException(String message, String url) {
        super(404, "IndexDoesNotExist", message, url);
    }
}
