package dev.blitdb.storage.engine;

import dev.blitdb.storage.nativeio.NativeIo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A memory-mapped copy-on-write B+tree store: one data file, many named trees, one writer at a time, any number
 * of lock-free readers on stable snapshots. See {@code storage/DESIGN.md} for the file layout, the commit order
 * and recovery.
 *
 * <pre>{@code
 * try (Store store = Store.open(dir)) {
 *     try (WriteTxn w = store.beginWrite()) { w.put("users", key, value); w.commit(); }
 *     try (ReadTxn r = store.beginRead()) { MemorySegment v = r.get("users", key); ... }
 * }
 * }</pre>
 *
 * Thread-safe. {@link #beginWrite()} blocks while another write transaction is open.
 */
public final class Store implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Store.class.getName());
    static final String FILE_NAME = "data.blit";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final StoreOptions options;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ConcurrentLinkedDeque<Snapshot> snapshots = new ConcurrentLinkedDeque<>();
    final FreeSpace free = new FreeSpace();
    private volatile Mapping mapping;
    private volatile Snapshot current;
    /** The newest prepared state, which the next write transaction builds on (writer-owned). */
    private Snapshot writerBase;
    /** The prepared commit waiting for its sync, or null. */
    private volatile Commit inFlight;
    private volatile long fileSize;
    private volatile Advice defaultAdvice;
    private volatile boolean closed;
    private volatile Throwable failure;
    private volatile StoreStats lastStats;
    private final LongAdder adviceCalls = new LongAdder();
    private final LongAdder adviceBytes = new LongAdder();
    private final LongAdder adviceFailures = new LongAdder();
    private final LongAdder adviceSkipped = new LongAdder();
    private final AtomicBoolean adviceFailureLogged = new AtomicBoolean();
    private volatile CommitObserver commitObserver = CommitObserver.NONE;
    /** Serialises every use of {@link #wal}: appends, syncs, the start of a new log file at a checkpoint. */
    final ReentrantLock logLock = new ReentrantLock();
    volatile WriteAheadLog wal;
    /** Random id of this data file, carried by its meta pages and every log header and record. */
    long fileId;
    /** Meta slot (0 or 1) holding the newest durable checkpoint, and that checkpoint's generation. */
    int metaSlot;
    volatile long metaGeneration;
    /** Newest transaction whose record is durable (or that a checkpoint made durable): pages it freed may be reused. */
    volatile long durableTxn;
    private Checkpointer checkpointer;
    /** Set by {@link #recycle()} (writer only): freed pages wait only for a log sync ({@link #reclaim()}). */
    private boolean waitingForLog;

    private Store(Path file, FileChannel channel, FileLock lock, StoreOptions options) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.options = options;
        this.defaultAdvice = options.defaultAdvice();
    }

    /** Opens (or creates) the store in folder {@code dir} with default options. */
    public static Store open(Path dir) throws IOException {
        return open(dir, StoreOptions.defaults());
    }

    /**
     * Opens (or creates) the store in folder {@code dir}. After a crash this recovers the newest complete commit
     * (see DESIGN.md, "Opening after a crash").
     *
     * @throws StoreCorruptedException if neither meta page leads to a consistent state (nothing is written)
     * @throws IOException             if the file cannot be opened, or another process has it open
     */
    public static Store open(Path dir, StoreOptions options) throws IOException {
        return open(dir, options, WALK_AT_OPEN_PAGES,
                scan -> Thread.ofPlatform().daemon().name("blitdb-free-space-scan").start(scan));
    }

    /**
     * Branch and leaf pages (64 MiB) up to which an open walks the trees itself; a bigger store opens without
     * reading them and finds its free pages in the background ({@link FreeSpaceScan}, DESIGN.md "Free space").
     */
    static final long WALK_AT_OPEN_PAGES = 16_384;

    /** {@link #open(Path, StoreOptions)} with the walk threshold and the background scan's executor given. */
    static Store open(Path dir, StoreOptions options, long walkAtOpenPages, java.util.concurrent.Executor scans)
            throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IOException(file + " is in use by another store (this or another process); "
                        + "close that one first");
            }
            Store store = new Store(file, channel, lock, options);
            boolean walked = store.recover(walkAtOpenPages);
            store.checkpointer = new Checkpointer(store);
            if (!walked) {
                FreeSpaceScan.start(store, store.current, scans);
            }
            return store;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Opens the newest consistent state; false when its free pages are left to the background scan. */
    private boolean recover(long walkAtOpenPages) throws IOException {
        long size = channel.size();
        if (size < 2L * Limits.PAGE_SIZE || blankMetas()) {
            initialize(size);
            size = channel.size();
        }
        fileSize = size;
        dropCachedPages();
        mapping = Mapping.map(channel, size);
        applyAdvice(mapping);
        List<Meta> candidates = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (int slot = 0; slot < 2; slot++) {
            Object m = Meta.read(mapping.segment, slot);
            if (m instanceof Meta meta) {
                candidates.add(meta);
                slots.add(slot);
            } else if (mapping.segment.get(Page.U64, Page.offset(slot)) != 0) {
                reasons.add((String) m); // a slot never written (a young store) is not worth a warning
            }
        }
        // Newest first: the highest generation (every meta write takes the next one), then transaction id.
        Integer[] order = {0, 1};
        java.util.Arrays.sort(order, 0, candidates.size(), (a, b) -> {
            Meta x = candidates.get(a);
            Meta y = candidates.get(b);
            return x.generation() != y.generation() ? Long.compare(y.generation(), x.generation())
                    : Long.compare(y.txnId(), x.txnId());
        });
        for (int k = 0; k < candidates.size(); k++) {
            Meta meta = candidates.get(order[k]);
            try {
                Recovery.Outcome r = Recovery.open(this, meta, walkAtOpenPages);
                if (r.used() != null) {
                    for (long p = 2; p < r.state().hwm(); p++) {
                        if (!r.used().get((int) p)) {
                            free.release(p);
                        }
                    }
                }
                if (!reasons.isEmpty() || k != 0) {
                    LOG.log(System.Logger.Level.WARNING, "Recovered " + file + " at transaction "
                            + r.state().txnId() + "; discarded: " + String.join("; ", reasons));
                }
                Snapshot s = new Snapshot(r.state(), mapping);
                snapshots.add(s);
                current = s;
                writerBase = s;
                metaSlot = slots.get(order[k]);
                fileId = meta.fileId() != 0 ? meta.fileId() : Meta.newFileId(); // version 2 files get one now
                metaGeneration = Math.max(meta.generation(), r.maxLogGeneration());
                Recovery.opened(this, s, meta.logFollows());
                updateStats();
                return r.used() != null;
            } catch (StoreCorruptedException e) {
                reasons.add("checkpoint at transaction " + meta.txnId() + ": " + e.getMessage());
                if (meta.fileId() != 0) {
                    // A version-3 checkpoint whose meta page is intact was written after its data was synced: if it
                    // does not open, an older one would silently lose the commits after it. (Version-2 files kept
                    // the previous commit as the fallback of a torn last one.)
                    break;
                }
            }
        }
        mapping.release();
        throw new StoreCorruptedException("cannot open " + file + ": no consistent commit found. "
                + String.join("; ", reasons) + ". Restore it from a backup; the file was not modified.");
    }

    Path dir() {
        return file.getParent();
    }

    FileChannel channel() {
        return channel;
    }

    Mapping mapping() {
        return mapping;
    }

    Snapshot current() {
        return current;
    }

    /** Bytes appended to the log since its current file started (0 before the first commit). */
    long logBytes() {
        WriteAheadLog w = wal;
        return w == null ? 0 : w.bytesSinceStart();
    }

    /**
     * Hands the background scan's result to the free pool (under the write lock): every page below {@code hwm} of
     * the opened state that no tree of it reaches. Returns how many; 0 if the store closed meanwhile.
     */
    int releaseScanned(long hwm, java.util.BitSet used) {
        writeLock.lock();
        try {
            if (!usable()) {
                return 0;
            }
            int n = 0;
            for (int p = used.nextClearBit(2); p < hwm; p = used.nextClearBit(p + 1)) {
                free.release(p);
                n++;
            }
            updateStats();
            return n;
        } finally {
            writeLock.unlock();
        }
    }

    /** Records a failure that makes the store refuse further use (a failed sync or checkpoint). */
    void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
    }

    boolean usable() {
        return !closed && failure == null;
    }

    /**
     * Evicts the file's pages from the page cache before it is mapped, so that they come back one 4 KiB page per
     * fault (the mapping's advice is {@link Advice#RANDOM} by default). Pages cached by anyone else — a copy, a
     * restore, a read with read-ahead, an older build — may sit in large folios (ext4 uses them since Linux 6.16),
     * and writeback writes a dirty folio whole: one changed page in a 2 MiB folio costs 2 MiB of disk writes per
     * commit (measured: 150 random page changes synced 130 MB instead of 600 KB). Dirty pages a killed predecessor
     * left are synced first (the cache is what this store reads, so syncing it changes nothing it sees) so that
     * they can be dropped too. Costs a cold read of what the open-time walk touches.
     */
    private void dropCachedPages() throws IOException {
        NativeIo nio = NativeIo.get();
        if (!nio.available("posix_fadvise")) {
            return;
        }
        options.diskSync().syncFile(channel);
        OptionalInt fd = nio.openReadWrite(file);
        if (fd.isPresent()) {
            try {
                nio.posixFadvise(fd.getAsInt(), 0, 0, NativeIo.POSIX_FADV_DONTNEED);
            } finally {
                nio.close(fd.getAsInt());
            }
        }
    }

    private boolean blankMetas() throws IOException {
        var buf = java.nio.ByteBuffer.allocate(8);
        for (int slot = 0; slot < 2; slot++) {
            buf.clear();
            channel.read(buf, (long) slot * Limits.PAGE_SIZE);
            if (buf.position() == 8 && buf.getLong(0) != 0) {
                return false;
            }
        }
        return true;
    }

    /** A new (or never committed) file: allocate the first step and write transaction 0's meta. */
    private void initialize(long size) throws IOException {
        long initial = Math.max(options.minGrowth(), 16L * Limits.PAGE_SIZE);
        if (size < initial) {
            try {
                options.allocator().allocate(file, channel, size, initial - size);
            } catch (IOException e) {
                throw new StoreFullException(file, size, initial - size, e.getMessage());
            }
        }
        MemorySegment page = java.lang.foreign.Arena.ofAuto().allocate(Limits.PAGE_SIZE);
        new Meta(0, 2, TreeRecord.EMPTY, System.currentTimeMillis(), 0, 0, 0)
                .asCheckpoint(Meta.newFileId(), 0, false).write(page, 0);
        channel.write(page.asByteBuffer(), 0);
        options.diskSync().syncFile(channel);
    }

    /** Path of the data file. */
    public Path file() {
        return file;
    }

    /**
     * Opens a read transaction on the newest durable commit. Lock-free; never waits for the writer.
     *
     * @throws StoreClosedException if the store is closed (also when it closes while this call runs)
     */
    public ReadTxn beginRead() {
        return new ReadTxn(this, pinNewest());
    }

    /** Pins the newest snapshot for a read transaction (a new one, or a reused one: {@link ReadTxn#reopen}). */
    Snapshot pinNewest() {
        for (; ; ) {
            checkUsable();
            Snapshot s = current;
            if (s.tryAcquire()) {
                return s;
            }
            // Dead: a newer commit replaced it (current moved before the release: retry), or close() released it
            // (closed was set before the release: the check above throws on the next round).
        }
    }

    /** Opens the write transaction, waiting while another one is open. */
    public WriteTxn beginWrite() {
        checkUsable();
        writeLock.lock();
        try {
            checkUsable();
            recycle();
            return new WriteTxn(this, writerBase, mapping);
        } catch (RuntimeException e) {
            writeLock.unlock();
            throw e;
        }
    }

    /** Gives pages back to the pool from the oldest snapshots that no reader holds any more. Writer only. */
    private void recycle() {
        // A snapshot's pending pages are the ones its successor freed: reusable once no reader holds them AND the
        // successor's log record is durable (else a power loss could recover a state that still reaches them).
        for (Snapshot s = snapshots.peekFirst(); s != null && s != current && s.dead()
                && s.meta.txnId() < durableTxn; s = snapshots.peekFirst()) {
            for (int i = 0; i < s.pendingFree.size(); i++) {
                free.release(s.pendingFree.get(i));
            }
            snapshots.pollFirst();
        }
        Snapshot head = snapshots.peekFirst();
        waitingForLog = wal != null && head != null && head != current && head.dead();
    }

    /**
     * The free pool ran dry (writer only): if pages freed by commits whose records are not durable yet are waiting
     * ({@link Durability#NO_SYNC}), syncs the log now and recycles them, so that the file does not grow for want of
     * a sync. Returns whether anything may have been recycled.
     */
    boolean reclaim() {
        if (!waitingForLog) { // cheap: this runs on every allocation while the free pool is empty
            return false;
        }
        logLock.lock();
        try {
            wal.sync();
            durableTxn = Math.max(durableTxn, wal.syncedTxn());
        } catch (IOException e) {
            fail(e);
            throw new StoreFailedException("syncing the write-ahead log of " + file + " failed: " + e.getMessage()
                    + ". Close and reopen the store.", e);
        } finally {
            logLock.unlock();
        }
        recycle();
        return true;
    }

    void checkUsable() {
        if (closed) {
            throw new StoreClosedException("store " + file);
        }
        Throwable f = failure;
        if (f != null) {
            throw new StoreFailedException("store " + file + " failed earlier and refuses further use: "
                    + f.getMessage() + ". Close and reopen it.", f);
        }
    }

    /** Grows the file (and remaps) so that it holds at least {@code pages} pages. Writer only. */
    void ensureCapacity(WriteTxn txn, long pages) {
        long needBytes = pages * Limits.PAGE_SIZE;
        long size = fileSize;
        if (needBytes <= size) {
            return;
        }
        long step = Math.max(options.minGrowth(), size / 8);
        long newSize = Math.max(size + step, needBytes);
        newSize = (newSize + Limits.PAGE_SIZE - 1) / Limits.PAGE_SIZE * Limits.PAGE_SIZE;
        try {
            options.allocator().allocate(file, channel, size, newSize - size);
        } catch (IOException e) {
            throw new StoreFullException(file, size, newSize - size, e.getMessage());
        }
        try {
            options.diskSync().syncFile(channel); // the new size is metadata: durable before pages beyond it are
            Mapping fresh = Mapping.map(channel, newSize);
            applyAdvice(fresh);
            Mapping old = mapping;
            mapping = fresh;
            fileSize = newSize;
            old.release();
            txn.remapped(fresh);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + file + " at " + newSize + " bytes", e);
        }
    }

    /**
     * Prepares the commit (called by {@link WriteTxn#prepareCommit()} after the checksums, under the write lock):
     * waits until the previous commit is durable — log records go in transaction order, and the pages the previous
     * commit freed must not be reused before — then builds the new state for the next write transaction and
     * returns the commit for its one sync.
     */
    Commit prepare(WriteTxn txn, WriteTxn.Written written) {
        Commit before = inFlight;
        if (before != null) {
            before.sync();
        }
        checkUsable();
        Meta meta = txn.newMeta(written.heads(), written.digest());
        Snapshot prev = current;
        for (int i = 0; i < txn.pendingFree.size(); i++) {
            prev.pendingFree.add(txn.pendingFree.get(i));
        }
        Snapshot next = new Snapshot(meta, txn.mapping);
        writerBase = next;
        Commit c = new Commit(this, meta.txnId(), prev, next, written.runs());
        inFlight = c;
        return c;
    }

    /** What an empty transaction returns: the commit it would have built on, durable once that one is. */
    Commit unchanged(long txnId) {
        Commit before = inFlight;
        return before != null && before.txnId() == txnId ? before : Commit.done(txnId);
    }

    /**
     * The one sync of a prepared commit: its record appended to the log, one {@code fdatasync} of the log (not
     * with {@link Durability#NO_SYNC}), then publication to readers. Called once per commit, any thread.
     */
    void syncAndPublish(Commit c) {
        long syncStarted = System.nanoTime();
        long bytes;
        logLock.lock();
        try {
            checkUsable();
            if (wal == null) {
                Recovery.startLog(this, current); // the first commit since the open: current is durable
            }
            bytes = wal.append(c.next.meta, c.runs, c.next.mapping.segment);
            if (options.durability() == Durability.SYNC) {
                wal.sync();
                durableTxn = c.txnId();
            }
            publish(c);
        } catch (IOException | RuntimeException e) {
            fail(e);
            c.next.release();
            StoreFailedException f = new StoreFailedException("commit of transaction " + c.txnId() + " to " + file
                    + " failed while writing its log record: " + e.getMessage() + ". Close and reopen the store.", e);
            inFlight = null;
            c.durable.completeExceptionally(f);
            throw f;
        } finally {
            logLock.unlock();
        }
        long syncNanos = System.nanoTime() - syncStarted;
        inFlight = null;
        commitObserver.committed(bytes, options.durability() == Durability.SYNC ? syncNanos : 0);
        c.durable.complete(null);
        checkpointer.commitAppended();
    }

    private void publish(Commit c) {
        snapshots.addLast(c.next);
        current = c.next; // before the release: a reader that finds the old one dead retries on this one
        c.previous.release();
        updateStats();
    }

    void endWrite(WriteTxn txn, boolean committed) {
        writeLock.unlock();
    }

    private void updateStats() {
        long pending = 0;
        for (Snapshot s : snapshots) {
            pending += s.pendingFree.size();
        }
        Meta meta = current.meta;
        lastStats = new StoreStats(meta.txnId(), fileSize, meta.hwm(), free.count(), pending, 0, -1);
    }

    /** Numbers as of the last commit, with the readers open now. */
    public StoreStats stats() {
        StoreStats s = lastStats;
        int readers = 0;
        long oldest = -1;
        Snapshot newest = current;
        for (Snapshot snap : snapshots) {
            int r = snap.readers(snap == newest);
            if (r > 0) {
                readers += r;
                if (oldest < 0) {
                    oldest = snap.meta.txnId();
                }
            }
        }
        return new StoreStats(s.lastTxnId(), s.fileBytes(), s.usedPages(), s.freePages(), s.pendingPages(),
                readers, oldest);
    }

    /**
     * Checks the whole newest state: every tree page (structure, order, checksum) and every overflow value's
     * checksum. Reads the whole file; meant for tests, tools and after-crash checks.
     *
     * @throws StoreCorruptedException naming the first problem found
     */
    public void verify() {
        try (ReadTxn r = beginRead()) {
            TreeWalker.walk(r.map(), r.snapshot().meta, true);
        }
    }

    /** Sets the default {@code madvise} advice of the mapping (now and after every remap). */
    public void adviseDefault(Advice advice) {
        defaultAdvice = advice;
        applyAdvice(mapping);
    }

    private void applyAdvice(Mapping m) {
        advise(m.segment, defaultAdvice.madvise);
    }

    /**
     * Hints the kernel to read pages {@code [first, first + count)} ahead ({@code MADV_WILLNEED}). Page numbers
     * come from the store's layout; most callers use {@link Txn#prefetch(MemorySegment)} on values instead.
     */
    public void prefetchPages(long first, long count) {
        try (ReadTxn r = beginRead()) {
            long from = Math.max(0, Math.min(first, r.map().byteSize() / Limits.PAGE_SIZE));
            long n = Math.max(0, Math.min(count, r.map().byteSize() / Limits.PAGE_SIZE - from));
            if (n > 0) {
                advise(r.map().asSlice(Page.offset(from), Page.offset(n)), NativeIo.MADV_WILLNEED);
            }
        }
    }

    void advise(MemorySegment segment, int advice) {
        if (!segment.isNative() || segment.byteSize() == 0) {
            return;
        }
        long start = segment.address() & -Limits.PAGE_SIZE;
        long end = (segment.address() + segment.byteSize() + Limits.PAGE_SIZE - 1) & -Limits.PAGE_SIZE;
        OptionalInt rc = NativeIo.get().madvise(start, end - start, advice);
        if (rc.isEmpty()) {
            adviceSkipped.increment();
        } else if (rc.getAsInt() == 0) {
            adviceCalls.increment();
            adviceBytes.add(end - start);
        } else {
            adviceFailures.increment();
            if (adviceFailureLogged.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "madvise(" + advice + ") on " + (end - start) + " bytes of "
                        + file + " failed with errno " + rc.getAsInt() + "; further failures are only counted");
            }
        }
    }

    /** Counters of {@code madvise} calls since open. */
    public AdviceStats adviceStats() {
        return new AdviceStats(adviceCalls.sum(), adviceBytes.sum(), adviceFailures.sum(), adviceSkipped.sum());
    }

    /** Sets the one observer told about every commit (metrics); {@link CommitObserver#NONE} to stop. */
    public void observeCommits(CommitObserver observer) {
        commitObserver = observer;
    }

    /**
     * How long ago the oldest snapshot that an open reader still holds was committed, in nanoseconds; 0 when no
     * reader is open. A reader sees that snapshot, so this bounds how stale its view is and how long it has been
     * keeping later commits from reusing pages (see the caveats in DESIGN.md).
     */
    public long oldestReaderSnapshotAgeNanos() {
        Snapshot newest = current;
        for (Snapshot snap : snapshots) {
            if (snap.readers(snap == newest) > 0) {
                return System.nanoTime() - snap.committedNanos;
            }
        }
        return 0;
    }

    /**
     * The data file's page-cache residency now, from {@code mincore} over the current mapping; empty when native
     * calls are unavailable. Costs one system call and one byte per OS page of the file (metrics scrapes only).
     */
    public java.util.Optional<PageCacheResidency> residency() {
        try (ReadTxn r = beginRead()) {
            MemorySegment map = r.map();
            return NativeIo.get().residentBytes(map.address(), map.byteSize())
                    .stream().mapToObj(b -> new PageCacheResidency(b, map.byteSize())).findFirst();
        }
    }

    /**
     * Writes a checkpoint now, on the calling thread (tests; the checkpoint thread does this by itself): afterwards
     * the data file holds every commit that was durable when it started. Returns false if there was nothing to do.
     */
    boolean checkpoint() throws IOException {
        return checkpointer.checkpoint();
    }

    /** Options the store was opened with. */
    public StoreOptions options() {
        return options;
    }

    /**
     * Closes the store: waits for an open write transaction to end, releases the file lock. Read transactions
     * still open keep their mapping until they close. Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            Commit pending = inFlight;
            if (pending != null) {
                try {
                    pending.sync();
                } catch (RuntimeException e) {
                    // already recorded as the store's failure; closing goes on
                }
            }
            if (checkpointer != null) {
                checkpointer.stop();
            }
            IOException failed = null;
            try {
                Recovery.closeClean(this, checkpointer);
            } catch (IOException | RuntimeException e) {
                // The log stays: the next open replays it.
                failed = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
                LOG.log(System.Logger.Level.WARNING, "closing " + file + " without a final checkpoint: "
                        + e.getMessage() + "; the next open replays its write-ahead log");
            }
            closed = true;
            current.release();
            mapping.release();
            lock.release();
            channel.close();
            if (failed != null) {
                throw failed;
            }
        } finally {
            writeLock.unlock();
        }
    }
}
