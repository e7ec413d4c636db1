package dev.blitdb.indexing.worker;

/** An index whose files cannot be opened right now (the worker keeps retrying); queries on it fail with this. */
public final class IndexUnavailableException extends RuntimeException {

    public IndexUnavailableException(String index, String reason) {
        super("index '" + index + "' is faulty and cannot answer queries: " + reason);
    }
}
