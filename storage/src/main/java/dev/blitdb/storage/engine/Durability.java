package dev.blitdb.storage.engine;

/** Whether a commit waits for stable storage. */
public enum Durability {
    /** One msync covering the dirty pages and the meta page before commit returns (the default). */
    SYNC,
    /**
     * No msync: a commit survives a process crash (the page cache keeps it) but not a power loss or kernel crash.
     * For bulk loads and benchmarks that say so.
     */
    NO_SYNC
}
