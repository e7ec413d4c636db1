package dev.blitdb.client.exceptions;

/** HTTP 404 {@code DatabaseDoesNotExist}: the store's database is not on the server; create it first. */
public class DatabaseDoesNotExistException extends ServerErrorException {

    /** A 404 naming the missing database in its message. */
    public DatabaseDoesNotExistException(String message, String url) {
        super(404, "DatabaseDoesNotExist", message, url);
    }
}
