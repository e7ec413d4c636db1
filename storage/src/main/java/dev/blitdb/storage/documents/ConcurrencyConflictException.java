package dev.blitdb.storage.documents;

import dev.blitdb.storage.engine.StorageException;

/** The expected change vector did not match the stored document (HTTP 409). Nothing was written. */
public final class ConcurrencyConflictException extends StorageException {

    private final String id;
    private final String expected;
    private final String actual;

    public ConcurrencyConflictException(String id, String expected, String actual) {
        super("concurrency conflict on document '" + id + "': expected change vector "
                + (expected.isEmpty() ? "'' (document must not exist)" : "'" + expected + "'")
                + " but the stored one is " + (actual == null ? "absent (no such document)" : "'" + actual + "'")
                + ". Load the document again and retry with its current change vector.");
        this.id = id;
        this.expected = expected;
        this.actual = actual;
    }

    public String id() {
        return id;
    }

    public String expected() {
        return expected;
    }

    /** The stored change vector, or null when the document does not exist. */
    public String actual() {
        return actual;
    }

    @Override
    public boolean leftNoTrace() {
        return true;
    }
}
