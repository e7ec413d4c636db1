package dev.blitdb.client.exceptions;

/**
 * The server answered with a JSON error body ({@code {"Type","Message","Url",...}}). Subclasses name the kinds a
 * caller may want to handle on their own; any other kind (500 InternalError, 507 InsufficientStorage, 409
 * Conflict when a database already exists) arrives as this class with its {@link #status} and {@link #type}.
 */
public class ServerErrorException extends BlitDbException {

    private final int status;
    private final String type;
    private final String url;

    /** An error answered with HTTP {@code status}, of the server's kind {@code type}, for request {@code url}. */
    public ServerErrorException(int status, String type, String message, String url) {
        super(message + " (HTTP " + status + " " + type + (url == null ? "" : ", " + url) + ")");
        this.status = status;
        this.type = type;
        this.url = url;
    }

    /** The HTTP status of the answer. */
    public int status() {
        return status;
    }

    /** The server's error kind, e.g. {@code InvalidQuery} (see server/API.md). */
    public String type() {
        return type;
    }

    /** The server-side path and query of the request that failed, as the server reported it. */
    public String url() {
        return url;
    }
}
