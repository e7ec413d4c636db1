package dev.blitdb.storage.documents;

/** Names of the document store's trees (see the package documentation). */
final class Trees {
    static final String DOCS = "docs";
    static final String ETAGS = "etags";
    static final String COLLECTION_ETAGS = "collection-etags";
    static final String TOMBSTONES = "tombstones";
    static final String COLLECTIONS = "collections";
    static final String HILO = "hilo";
    static final String DB = "db";

    static final byte[] DB_ID = "id".getBytes();
    static final byte[] LAST_ETAG = "last-etag".getBytes();
    /** Raft term and index (2 × 8 bytes) of the last replicated log entry applied; absent on a single node. */
    static final byte[] LOG_APPLIED = "log-applied".getBytes();
    /**
     * The highest etag of a tombstone ever purged (8 bytes; absent: none purged): an incremental backup after an
     * older etag would miss those deletions, so it refuses (IncrementalBackup).
     */
    static final byte[] PURGED_TOMBSTONES_TO = "purged-tombstones-to".getBytes();

    private Trees() {
    }
}
