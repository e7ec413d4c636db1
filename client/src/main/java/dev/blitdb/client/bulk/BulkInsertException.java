package dev.blitdb.client.bulk;

import dev.blitdb.client.exceptions.BlitDbException;

/**
 * A bulk insert stopped. The documents before {@link #index()} that the server reports as {@link #committed()}
 * are stored and stay; the failing document and everything after it were not stored. The cause is the typed
 * error the server gave for the failing document ({@code BadRequestException} for bad JSON or a bad id,
 * {@code RequestTooLargeException}, …), or the I/O failure.
 */
public class BulkInsertException extends BlitDbException {

    private final long index;
    private final long committed;

    /**
     * @param index     the 0-based position of the failing document in the order stored, or -1 if unknown
     * @param committed how many documents the server committed, or -1 if unknown (the connection failed)
     */
    public BulkInsertException(String message, long index, long committed, Throwable cause) {
        super(message, cause);
        this.index = index;
        this.committed = committed;
    }

    /** The 0-based position of the failing document, or -1 when unknown. */
    public long index() {
        return index;
    }

    /** How many documents were committed before the failure, or -1 when unknown. */
    public long committed() {
        return committed;
    }
}
