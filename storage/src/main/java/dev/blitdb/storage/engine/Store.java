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
            store.recover();
            return store;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void recover() throws IOException {
        long size = channel.size();
        if (size < 2L * Limits.PAGE_SIZE || blankMetas()) {
            initialize(size);
            size = channel.size();
        }
        fileSize = size;
        mapping = Mapping.map(channel, size);
        List<Meta> candidates = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (int slot = 0; slot < 2; slot++) {
            Object m = Meta.read(mapping.segment, slot);
            if (m instanceof Meta meta) {
                candidates.add(meta);
            } else if (mapping.segment.get(Page.U64, Page.offset(slot)) != 0) {
                reasons.add((String) m); // a slot never written (a young store) is not worth a warning
            }
        }
        candidates.sort((a, b) -> Long.compare(b.txnId(), a.txnId()));
        for (Meta meta : candidates) {
            try {
                BitSet used = TreeWalker.walk(mapping.segment, meta, false);
                for (long p = 2; p < meta.hwm(); p++) {
                    if (!used.get((int) p)) {
                        free.release(p);
                    }
                }
                if (!reasons.isEmpty() || candidates.getFirst() != meta) {
                    LOG.log(System.Logger.Level.WARNING, "Recovered " + file + " at transaction " + meta.txnId()
                            + "; discarded: " + String.join("; ", reasons));
                }
                Snapshot s = new Snapshot(meta, mapping);
                snapshots.add(s);
                current = s;
                applyAdvice(mapping);
                updateStats();
                return;
            } catch (StoreCorruptedException e) {
                reasons.add("transaction " + meta.txnId() + ": " + e.getMessage());
            }
        }
        mapping.release();
        throw new StoreCorruptedException("cannot open " + file + ": no consistent commit found. "
                + String.join("; ", reasons) + ". Restore it from a backup; the file was not modified.");
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
        new Meta(0, 2, TreeRecord.EMPTY, System.currentTimeMillis()).write(page, 0);
        channel.write(page.asByteBuffer(), 0);
        channel.force(true);
    }

    /** Path of the data file. */
    public Path file() {
        return file;
    }

    /** Opens a read transaction on the newest committed state. Lock-free; never waits for the writer. */
    public ReadTxn beginRead() {
        checkUsable();
        for (; ; ) {
            Snapshot s = current;
            if (s.tryAcquire()) {
                return new ReadTxn(this, s);
            }
        }
    }

    /** Opens the write transaction, waiting while another one is open. */
    public WriteTxn beginWrite() {
        checkUsable();
        writeLock.lock();
        try {
            checkUsable();
            recycle();
            return new WriteTxn(this, current, mapping);
        } catch (RuntimeException e) {
            writeLock.unlock();
            throw e;
        }
    }

    /** Gives pages back to the pool from the oldest snapshots that no reader holds any more. Writer only. */
    private void recycle() {
        for (Snapshot s = snapshots.peekFirst(); s != null && s != current && s.dead(); s = snapshots.peekFirst()) {
            for (int i = 0; i < s.pendingFree.size(); i++) {
                free.release(s.pendingFree.get(i));
            }
            snapshots.pollFirst();
        }
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
            channel.force(true); // the new size is metadata: make it durable before pages beyond it are
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

    /** Writes the commit point (called by {@link WriteTxn#commit()} after the checksums). Writer only. */
    void commit(WriteTxn txn, long[] dirtyRange) {
        MemorySegment m = txn.map();
        boolean sync = options.durability() == Durability.SYNC;
        Meta meta = txn.newMeta();
        long syncNanos = 0;
        long bytes = Limits.PAGE_SIZE + (dirtyRange[1] >= 0 ? Page.offset(dirtyRange[1] + 1 - dirtyRange[0]) : 0);
        try {
            if (sync && dirtyRange[1] >= 0) {
                long from = Page.offset(dirtyRange[0]);
                long t0 = System.nanoTime();
                m.asSlice(from, Page.offset(dirtyRange[1] + 1) - from).force();
                syncNanos += System.nanoTime() - t0;
            }
            long slot = Page.offset(meta.txnId() % 2);
            meta.write(m, slot);
            if (sync) {
                long t0 = System.nanoTime();
                m.asSlice(slot, Limits.PAGE_SIZE).force();
                syncNanos += System.nanoTime() - t0;
            }
        } catch (RuntimeException e) {
            failure = e;
            throw new StoreFailedException("commit of transaction " + meta.txnId() + " to " + file
                    + " failed while syncing: " + e.getMessage() + ". Close and reopen the store.", e);
        }
        Snapshot prev = current;
        for (int i = 0; i < txn.pendingFree.size(); i++) {
            prev.pendingFree.add(txn.pendingFree.get(i));
        }
        Snapshot next = new Snapshot(meta, txn.mapping);
        snapshots.addLast(next);
        current = next;
        prev.release();
        updateStats();
        commitObserver.committed(bytes, syncNanos);
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
            closed = true;
            current.release();
            mapping.release();
            lock.release();
            channel.close();
        } finally {
            writeLock.unlock();
        }
    }
}
