package dev.blitdb.indexing.execution;

/**
 * Thrown by a query run {@linkplain QueryExecutor.Options#nonBlocking() inline} (on a thread that must not block, such
 * as an HTTP IO thread) as soon as answering it could block or cost more than a bounded amount of work: it would
 * have to create or widen an automatic index, wait for a stale index, count more matches than the inline budget,
 * or (thrown by the caller's visitor) read a document whose pages are not resident. Nothing has been sent; the
 * caller runs the same query again where blocking is allowed. One shared instance without a stack trace: it is a
 * signal, not an error.
 */
public final class WouldBlockException extends RuntimeException {

    public static final WouldBlockException INSTANCE = new WouldBlockException();

    private WouldBlockException() {
        super("the query cannot be answered without blocking; run it on a worker thread", null, false, false);
    }
}
