package dev.blitdb.indexing.worker;

/** What an index is doing. */
public enum IndexState {
    /** Caught up with its collection; waiting for commits. */
    IDLE("Idle"),
    /** Working through documents or tombstones. */
    INDEXING("Indexing"),
    /** Stopped by an admin; queries still answer from what is indexed. */
    PAUSED("Paused"),
    /** Its last batch failed (Lucene or disk trouble); it retries. */
    FAULTY("Faulty"),
    CLOSED("Closed");

    private final String wireName;

    IndexState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
