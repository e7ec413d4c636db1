package dev.blitdb.client.exceptions;

/**
 * HTTP 400: the server refused the request as given (bad JSON, bad id, bad query, bad index definition).
 * {@link #type()} is the server's kind ({@code BadRequest}, {@code InvalidJson}, {@code InvalidQuery},
 * {@code InvalidIndexDefinition}) and {@link #serverMessage()} its explanation, naming the place of the problem.
 */
public class BadRequestException extends ServerErrorException {

    private final String serverMessage;

    /** A 400 answer of kind {@code type}. */
    public BadRequestException(String type, String message, String url) {
        super(400, type, message, url);
        this.serverMessage = message;
    }

    /** The server's message, without the status and URL this exception's message adds. */
    public String serverMessage() {
        return serverMessage;
    }
}
