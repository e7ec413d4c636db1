package dev.blitdb.client.exceptions;

/**
 * The root of every error the client raises. Unchecked: most callers let a database error travel up to the
 * request or job that started the work; those that can recover catch the specific subtype they expect
 * ({@link ConcurrencyException} is the usual one).
 */
public class BlitDbException extends RuntimeException {

    /** An error with a message that says what failed. */
    public BlitDbException(String message) {
        super(message);
    }

    /** An error caused by {@code cause} (an I/O failure, a JSON mapping failure). */
    public BlitDbException(String message, Throwable cause) {
        super(message, cause);
    }
}
