package dev.blitdb.indexing.worker;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The most recent documents an index could not take, newest last. Bounded: a flood of bad documents keeps the
 * latest {@link #CAPACITY} and counts the rest, so memory stays flat.
 */
public final class IndexErrors {

    public static final int CAPACITY = 500;

    /** One document that was skipped, and why. */
    public record IndexError(String documentId, long etag, String message, Instant at) {
    }

    private final ArrayDeque<IndexError> recent = new ArrayDeque<>();
    private long total;

    public synchronized void record(String documentId, long etag, String message) {
        if (recent.size() == CAPACITY) {
            recent.removeFirst();
        }
        recent.addLast(new IndexError(documentId, etag, message, Instant.now()));
        total++;
    }

    public synchronized List<IndexError> recent() {
        return List.copyOf(recent);
    }

    /** Errors recorded since the index was (re)built, including those no longer in {@link #recent()}. */
    public synchronized long total() {
        return total;
    }

    public synchronized void clear() {
        recent.clear();
        total = 0;
    }
}
