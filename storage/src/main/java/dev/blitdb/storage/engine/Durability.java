package dev.blitdb.storage.engine;

/** Whether a commit waits for stable storage. */
public enum Durability {
    /**
     * The commit's record is appended to the write-ahead log and the log is synced ({@code fdatasync}) before commit
     * returns (the default).
     */
    SYNC,
    /**
     * The commit's record is appended to the write-ahead log but not synced: the commit is visible at once and
     * survives a process crash (the page cache keeps it). After a power loss or kernel crash the store opens at a
     * <em>prefix</em> of its commits — never a torn state — whose commit value says how far it got (a replicated
     * store then replays its Raft log from there). The log is synced in the background and at checkpoints; pages
     * a commit frees are reused only once its record is durable.
     */
    NO_SYNC
}
