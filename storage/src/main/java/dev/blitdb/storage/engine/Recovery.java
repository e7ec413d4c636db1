package dev.blitdb.storage.engine;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;

/**
 * Opening a store from a checkpoint (replaying the write-ahead log onto it), starting its log, and the final
 * checkpoint of a clean close. See "Opening after a crash" and "Checkpoints" in DESIGN.md.
 */
final class Recovery {

    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());

    private Recovery() {
    }

    /**
     * The state opening {@code checkpoint} leads to, checked: its trees walked ({@code used}: their pages) after
     * the log's records were replayed ({@code replayed} of them). {@code used} is null when the walk was left to
     * the background ({@link FreeSpaceScan}): a checkpoint opened as it is, with more tree pages than the open
     * walks itself.
     */
    record Outcome(Meta state, BitSet used, int replayed, long maxLogGeneration) {
    }

    /**
     * The outcome of opening a checkpoint as it is (no log to replay): walked now when its trees have at most
     * {@code walkAtOpenPages} branch and leaf pages, else only its bounds checked and the walk left to the
     * background scan.
     */
    private static Outcome asIs(MemorySegment m, Meta checkpoint, long maxGen, long walkAtOpenPages) {
        if (checkpoint.hwm() >= 2 && checkpoint.hwm() * Limits.PAGE_SIZE <= m.byteSize()
                && treePages(m, checkpoint, walkAtOpenPages) > walkAtOpenPages) {
            return new Outcome(checkpoint, null, 0, maxGen);
        }
        return new Outcome(checkpoint, TreeWalker.walk(m, checkpoint, false), 0, maxGen);
    }

    /** Branch and leaf pages of every tree, from the catalog's records (a few pages); stops once over {@code cap}. */
    private static long treePages(MemorySegment m, Meta meta, long cap) {
        long[] pages = {meta.catalog().root() == 0 ? 0 : 1};
        try {
            BTree.forEachLeafCell(m, meta.catalog(), cell -> {
                if (pages[0] <= cap) {
                    TreeRecord r = TreeRecord.read(m, Page.leafValue(m, cell));
                    pages[0] += r.branchPages() + r.leafPages();
                }
            });
        } catch (RuntimeException e) {
            return 0; // a damaged catalog: walk it now, which reports what is wrong
        }
        return pages[0];
    }

    /**
     * Replays the log after {@code checkpoint} into a private mapping first and walks the result; only a state that
     * checks out is written into the file's mapping, so a bad log leaves the file as it was.
     *
     * @throws StoreCorruptedException if the checkpoint needs its log and the log is missing or not this file's,
     *                                 or if the state does not check out
     */
    static Outcome open(Store store, Meta checkpoint, long walkAtOpenPages) throws IOException {
        MemorySegment shared = store.mapping().segment;
        if (!checkpoint.logFollows()) {
            return asIs(shared, checkpoint, checkpoint.generation(), walkAtOpenPages);
        }
        WriteAheadLog.Chain chain = WriteAheadLog.read(store.dir(), checkpoint);
        try {
            if (!chain.present()) {
                throw new StoreCorruptedException("it is followed by a write-ahead log, but there is " + chain.end()
                        + " (the " + WriteAheadLog.NAMES[0] + "/" + WriteAheadLog.NAMES[1] + " files are missing or "
                        + "belong to another data file), so its newest commits cannot be recovered; put the log "
                        + "files back next to the data file");
            }
            long maxGen = Math.max(checkpoint.generation(), chain.maxGeneration());
            if (chain.commits().isEmpty()) {
                return asIs(shared, checkpoint, maxGen, walkAtOpenPages);
            }
            Meta state = chain.commits().getLast().meta();
            BitSet used;
            Mapping trial = Mapping.mapPrivate(store.channel(), shared.byteSize());
            try {
                apply(chain, trial.segment);
                used = TreeWalker.walk(trial.segment, state, false);
            } finally {
                trial.release();
            }
            apply(chain, shared);
            LOG.log(System.Logger.Level.INFO, "Replayed " + chain.commits().size() + " commits of the write-ahead log "
                    + "of " + store.file() + " onto its checkpoint at transaction " + checkpoint.txnId() + ", now at "
                    + state.txnId() + " (" + chain.end() + ")");
            return new Outcome(state, used, chain.commits().size(), maxGen);
        } finally {
            chain.arena().close();
        }
    }

    private static void apply(WriteAheadLog.Chain chain, MemorySegment m) {
        for (WriteAheadLog.Logged c : chain.commits()) {
            long at = 0;
            for (int i = 0; i < c.runs().length; i += 2) {
                long first = c.runs()[i];
                long bytes = c.runs()[i + 1] * Limits.PAGE_SIZE;
                if (first < 2 || Page.offset(first) + bytes > m.byteSize()) {
                    throw new StoreCorruptedException("the log record of transaction " + c.meta().txnId()
                            + " writes pages " + first + "+" + c.runs()[i + 1] + " outside the file ("
                            + m.byteSize() / Limits.PAGE_SIZE + " pages)");
                }
                MemorySegment.copy(c.images(), at, m, Page.offset(first), bytes);
                at += bytes;
            }
        }
    }

    /**
     * After opening at state {@code s}: if it came from a checkpoint with a log ({@code fromLog}), a clean checkpoint
     * of {@code s} (data synced, then a meta page saying no log follows). Then log files left over (dead now, or
     * another data file's) are deleted. The log itself starts with the first commit ({@link #startLog}), so an open
     * that writes nothing costs no log file and its close no checkpoint.
     */
    static void opened(Store store, Snapshot s, boolean fromLog) throws IOException {
        if (fromLog) {
            syncData(store, s);
            writeMeta(store, s.mapping.segment, s.meta.asCheckpoint(store.fileId, store.metaGeneration + 1, false));
        }
        new WriteAheadLog(store.dir(), store.options().diskSync(), store.fileId, false).deleteFiles();
        store.durableTxn = s.meta.txnId();
    }

    /**
     * Starts the log before the first record after an open (under the log lock): the next generation's file gets
     * its header, then a meta page of the durable state {@code s} naming that generation is written and synced.
     */
    static void startLog(Store store, Snapshot s) throws IOException {
        WriteAheadLog wal = new WriteAheadLog(store.dir(), store.options().diskSync(), store.fileId,
                store.options().durability() == Durability.SYNC);
        long gen = store.metaGeneration + 1;
        wal.start(gen, s.meta.txnId() + 1);
        writeMeta(store, s.mapping.segment, s.meta.asCheckpoint(store.fileId, gen, true));
        store.wal = wal;
    }

    /** The data file's pages of snapshot {@code s} (below its high-water mark, meta pages excluded) to disk. */
    static void syncData(Store store, Snapshot s) {
        long end = Page.offset(s.meta.hwm());
        if (end > Page.offset(2)) {
            store.options().diskSync().syncRange(s.mapping.segment, Page.offset(2), end - Page.offset(2));
        }
    }

    /** Writes {@code meta} into the slot that does not hold the newest checkpoint and syncs it. */
    static void writeMeta(Store store, MemorySegment m, Meta meta) {
        int slot = 1 - store.metaSlot;
        meta.write(m, Page.offset(slot));
        store.options().diskSync().syncRange(m, Page.offset(slot), Limits.PAGE_SIZE);
        store.metaSlot = slot;
        store.metaGeneration = meta.generation();
    }

    /**
     * The last checkpoint of a clean close (the writer is done, nothing is in flight): data synced, a meta page
     * saying no log follows, then the log files deleted. A store that failed keeps its log for the next open.
     */
    static void closeClean(Store store, Checkpointer checkpoints) throws IOException {
        synchronized (checkpoints) {
            store.logLock.lock();
            try {
                WriteAheadLog wal = store.wal;
                if (wal == null) {
                    return; // nothing committed since the open: its meta page says no log follows
                }
                if (!store.usable()) {
                    wal.close();
                    return;
                }
                Snapshot c = store.current();
                syncData(store, c);
                writeMeta(store, c.mapping.segment, c.meta.asCheckpoint(store.fileId, store.metaGeneration + 1,
                        false));
                wal.deleteFiles();
            } finally {
                store.logLock.unlock();
            }
        }
    }
}
