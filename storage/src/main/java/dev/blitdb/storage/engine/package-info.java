/**
 * The memory-mapped MVCC key-value engine: {@link dev.blitdb.storage.engine.Store} holds named B+trees with
 * byte-ordered keys in one data file; {@link dev.blitdb.storage.engine.ReadTxn} is a lock-free snapshot,
 * {@link dev.blitdb.storage.engine.WriteTxn} the single writer whose {@code commit()} is durable and atomic.
 *
 * <p>Invariants (details in {@code storage/DESIGN.md}): a page reachable from a committed state is never written
 * again while any snapshot that can reach it is open, nor before the log record of the commit that freed it is
 * durable; a commit is durable once its record (the images of its pages and its roots) is synced in the
 * write-ahead log; a meta page is written only by a checkpoint, after the data it describes is synced; every
 * page reachable from a state is reachable exactly once. Values come back as {@code MemorySegment} slices of
 * the mapping, valid until the transaction that returned them closes.
 */
package dev.blitdb.storage.engine;
