package dev.blitdb.client.exceptions;

/**
 * HTTP 409 {@code Concurrency}: a write expected a document at one change vector and the server holds another
 * (or holds one when none was expected, or none when one was). Nothing of the failed request was applied;
 * reload the document, reapply the change and save again.
 */
public class ConcurrencyException extends ServerErrorException {

    private final String id;
    private final String expectedChangeVector;
    private final String actualChangeVector;

    /**
     * @param expectedChangeVector what the write expected: a change vector, {@code ""} for "must not exist"
     * @param actualChangeVector   what the server holds, or null when the document does not exist
     */
    public ConcurrencyException(String id, String expectedChangeVector, String actualChangeVector, String message,
                                String url) {
        super(409, "Concurrency", message, url);
        this.id = id;
        this.expectedChangeVector = expectedChangeVector;
        this.actualChangeVector = actualChangeVector;
    }

    /** The id of the document whose change vector did not match. */
    public String id() {
        return id;
    }

    /** The change vector the write expected ({@code ""}: the document must not exist yet). */
    public String expectedChangeVector() {
        return expectedChangeVector;
    }

    /** The change vector the server holds, or null when the document does not exist. */
    public String actualChangeVector() {
        return actualChangeVector;
    }
}
