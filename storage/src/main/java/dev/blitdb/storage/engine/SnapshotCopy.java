package dev.blitdb.storage.engine;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A compacting copy of one read snapshot (what LMDB's {@code mdb_env_copy2} with compaction does): the pages
 * reachable from the snapshot are written densely into a new data file, renumbered from page 2 in the order they
 * are written, with every child pointer, overflow pointer and catalog root rewritten and every tree page's checksum
 * recomputed. The result is a complete {@code data.blit} that {@link Store#open} opens as the snapshot's state
 * (same transaction id, same trees, same keys and values) with no free pages.
 *
 * <p>Pages are written children first (post-order), so a parent's new child numbers are known when it is written
 * and the output is one sequential stream; the catalog root is the last page, so its number ({@code 1 + pages})
 * is known in advance and the meta page goes first. That makes {@link #copy(ReadTxn, WritableByteChannel, Listener)}
 * usable on a pipe or a socket (a backup, a replication snapshot).
 *
 * <p>{@link #incremental} copies are the basis of compaction: pass 1 copies snapshot S1; a later pass over S2
 * reuses, unchanged, every subtree that S2 still shares with the previous pass (copy-on-write: a page whose header
 * says it was written at or before the previous pass's transaction is unchanged since, and so is everything below
 * it), and appends only the pages written since. Each pass costs the changes since the previous one, so the last
 * pass — taken while writes are held — is short.
 *
 * <p>Source pages are checked while copied (type, own number, checksum); a bad one fails the copy with
 * {@link StoreCorruptedException} instead of being laundered into the copy with a fresh checksum.
 *
 * <p>Not thread-safe; one copy at a time per instance. The {@link ReadTxn} stays open (and pins its pages) for the
 * whole pass.
 */
public final class SnapshotCopy implements AutoCloseable {

    /** Progress of a copy, called after every chunk written; may throw to abort (e.g. on cancellation). */
    @FunctionalInterface
    public interface Listener {
        void progress(long pagesWritten, long pagesTotal) throws IOException;

        Listener NONE = (done, total) -> { };
    }

    /**
     * What a copy wrote.
     *
     * @param txnId        the snapshot's transaction id (the copy opens at that transaction)
     * @param commitMillis the snapshot's commit time
     * @param pages        pages in the copied file, meta pages included ({@code bytes / 4096})
     * @param copiedPages  pages written by this pass (for an incremental pass: the changed ones)
     */
    public record Result(long txnId, long commitMillis, long pages, long copiedPages) {
        public long bytes() {
            return pages * Limits.PAGE_SIZE;
        }
    }

    /** The data file format version a copy is written in (the meta page's version). */
    public static final int STORE_FORMAT_VERSION = Meta.VERSION;

    /** Output buffer: 4 MiB writes (a backup's checksum chunk), so a copy makes few large sequential writes. */
    private static final int BUFFER = 4 << 20;
    /** A value run at least this long is written straight from the mapping, not copied into the buffer first. */
    private static final long DIRECT_WRITE = 1 << 20;
    private static final int MAX_DEPTH = 64;

    private final Sink sink;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment[] levels = new MemorySegment[MAX_DEPTH];
    private final CRC32C crc = new CRC32C();
    /** Old page number → new page number from earlier passes (0 = not copied). */
    private int[] moved = new int[0];
    private long previousTxn = -1;
    private long next = 2;
    private long passCopied;
    private long passTotal;
    private Listener listener = Listener.NONE;
    private MemorySegment m;

    private SnapshotCopy(Sink sink) {
        this.sink = sink;
    }

    /**
     * Streams a compacting copy of {@code txn}'s snapshot to {@code out} (a complete data file, meta page first).
     * Does not close {@code out}.
     */
    public static Result copy(ReadTxn txn, WritableByteChannel out, Listener listener) throws IOException {
        try (SnapshotCopy copy = new SnapshotCopy(new Sink(out, null))) {
            copy.listener = listener;
            copy.m = txn.map();
            Meta meta = txn.snapshot().meta;
            long total = totalPages(txn);
            long catalogRoot = meta.catalog().root() == 0 ? 0 : 1 + total;
            copy.sourceFileId = txn.store.fileId;
            copy.writeMeta(meta, total, catalogRoot);
            copy.passTotal = total;
            long root = copy.copyTree(meta.catalog(), true, 0);
            if (root != catalogRoot || copy.next != 2 + total) {
                throw new StoreCorruptedException("snapshot " + meta.txnId() + " records " + total + " pages but "
                        + (copy.next - 2) + " were reachable (tree records disagree with the trees)");
            }
            copy.sink.flush();
            return new Result(meta.txnId(), meta.commitMillis(), copy.next, total);
        }
    }

    /** {@link #copy} into a new file, synced to disk before this returns; the file must not exist. */
    public static Result copyTo(ReadTxn txn, Path file, Listener listener) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Result r = copy(txn, ch, listener);
            ch.force(true);
            return r;
        }
    }

    /**
     * Starts an incremental copy into the new file {@code file} (must not exist). Call {@link #pass} one or more
     * times, each with a newer snapshot of the same store, then {@link #finish}.
     */
    public static SnapshotCopy incremental(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        SnapshotCopy copy = new SnapshotCopy(new Sink(ch, ch));
        copy.sink.position(2L * Limits.PAGE_SIZE); // the meta pages are written by finish()
        return copy;
    }

    private Meta lastMeta;
    private long lastCatalogRoot;
    private long sourceFileId;

    /**
     * Copies what changed in {@code txn}'s snapshot since the previous pass (everything, on the first pass).
     *
     * @return the pages this pass wrote
     */
    public Result pass(ReadTxn txn, Listener listener) throws IOException {
        Meta meta = txn.snapshot().meta;
        if (lastMeta != null && meta.txnId() < lastMeta.txnId()) {
            throw new IllegalArgumentException("pass over snapshot " + meta.txnId() + " after snapshot "
                    + lastMeta.txnId() + ": passes must go forward");
        }
        this.listener = listener;
        this.m = txn.map();
        this.sourceFileId = txn.store.fileId;
        long hwm = meta.hwm();
        if (moved.length < hwm) {
            moved = Arrays.copyOf(moved, (int) Math.min(Integer.MAX_VALUE, hwm));
        }
        passCopied = 0;
        passTotal = lastMeta == null ? totalPages(txn) : -1;
        lastCatalogRoot = copyTree(meta.catalog(), true, 0);
        sink.flush();
        previousTxn = meta.txnId();
        lastMeta = meta;
        m = null;
        return new Result(meta.txnId(), meta.commitMillis(), next, passCopied);
    }

    /** Writes the meta page of the last pass's snapshot and syncs the file; the copy is then complete. */
    public Result finish() throws IOException {
        if (lastMeta == null) {
            throw new IllegalStateException("finish() before any pass()");
        }
        sink.position(0);
        writeMeta(lastMeta, next - 2, lastCatalogRoot);
        sink.flush();
        sink.file.force(true);
        return new Result(lastMeta.txnId(), lastMeta.commitMillis(), next, 0);
    }

    private static long totalPages(ReadTxn txn) {
        MemorySegment m = txn.map();
        Meta meta = txn.snapshot().meta;
        long[] total = {meta.catalog().totalPages()};
        BTree.forEachLeafCell(m, meta.catalog(), cell -> total[0] += TreeRecord.read(m, Page.leafValue(m, cell))
                .totalPages());
        return total[0];
    }

    private void writeMeta(Meta meta, long pages, long catalogRoot) throws IOException {
        MemorySegment two = arena.allocate(2L * Limits.PAGE_SIZE);
        TreeRecord c = meta.catalog();
        TreeRecord catalog = new TreeRecord(catalogRoot, c.depth(), c.entries(), c.branchPages(), c.leafPages(),
                c.overflowPages());
        // No commit digest (-1): a copy is synced whole and checked against its manifest's chunk checksums before
        // anything opens it, so there is no torn last commit to detect. The commit value (e.g. an applied log
        // index) travels with the copy. A copy is a new data file: a new file id, and no log follows it (a log
        // left beside the file it replaces is never replayed onto it).
        new Meta(meta.txnId(), 2 + pages, catalog, meta.commitMillis(), -1, 0, meta.commitValue())
                .asCheckpoint(Meta.copyFileId(sourceFileId, meta.txnId()), 0, false).write(two, Page.offset(meta.txnId() % 2));
        sink.write(two, 0, two.byteSize());
    }

    /** Copies one tree; returns its new root (0 for an empty tree). */
    private long copyTree(TreeRecord r, boolean catalog, int depth) throws IOException {
        return r.root() == 0 ? 0 : copyPage(r.root(), r.depth() - 1, depth, catalog);
    }

    /** Whether page {@code old} of the current snapshot is unchanged since the previous pass; then its new number. */
    private long reusable(long old) {
        if (previousTxn < 0 || old >= moved.length || moved[(int) old] == 0) {
            return 0;
        }
        return Page.txn(m, Page.offset(old)) <= previousTxn ? moved[(int) old] : 0;
    }

    private long copyPage(long old, int levelsBelow, int depth, boolean catalog) throws IOException {
        long same = reusable(old);
        if (same != 0) {
            return same;
        }
        if (depth >= MAX_DEPTH) {
            throw new StoreCorruptedException("tree deeper than " + MAX_DEPTH + " levels at page " + old);
        }
        MemorySegment page = levels[depth];
        if (page == null) {
            page = levels[depth] = arena.allocate(Limits.PAGE_SIZE);
        }
        long p = Page.offset(old);
        if (p + Limits.PAGE_SIZE > m.byteSize()) {
            throw new StoreCorruptedException("page " + old + " lies beyond the mapped file");
        }
        MemorySegment.copy(m, p, page, 0, Limits.PAGE_SIZE);
        checkSource(page, old, levelsBelow == 0 ? Page.LEAF : Page.BRANCH);
        int n = Page.count(page, 0);
        for (int i = 0; i < n; i++) {
            long c = Page.cell(page, 0, i);
            if (levelsBelow > 0) {
                page.set(Page.U64, c + 2, copyPage(Page.branchChild(page, c), levelsBelow - 1, depth + 1, catalog));
            } else if (catalog) {
                long at = Page.leafValue(page, c);
                TreeRecord r = TreeRecord.read(page, at);
                page.set(Page.U64, at, copyTree(r, false, depth + 1)); // below this page's buffer
            } else if (Page.leafKind(page, c) == Page.KIND_OVERFLOW) {
                long at = Page.leafValue(page, c);
                page.set(Page.U64, at, copyOverflow(page.get(Page.U64, at), Page.leafValueLength(page, c)));
            }
        }
        long number = next++;
        page.set(Page.U64, Page.OFF_NUMBER, number);
        crc.reset();
        crc.update(page.asSlice(4, Limits.PAGE_SIZE - 4).asByteBuffer());
        page.set(Page.U32, Page.OFF_CRC, (int) crc.getValue());
        sink.write(page, 0, Limits.PAGE_SIZE);
        remember(old, number);
        counted(1);
        return number;
    }

    private void checkSource(MemorySegment page, long old, byte type) {
        if (Page.type(page, 0) != type || page.get(Page.U64, Page.OFF_NUMBER) != old) {
            throw new StoreCorruptedException("page " + old + " has type " + Page.type(page, 0) + " and number "
                    + page.get(Page.U64, Page.OFF_NUMBER) + ", expected type " + type + " and number " + old);
        }
        crc.reset();
        crc.update(page.asSlice(4, Limits.PAGE_SIZE - 4).asByteBuffer());
        if (page.get(Page.U32, Page.OFF_CRC) != (int) crc.getValue()) {
            throw new StoreCorruptedException("page " + old + " fails its checksum; the copy was stopped so the "
                    + "damage is not carried into it");
        }
    }

    private long copyOverflow(long first, int length) throws IOException {
        long same = reusable(first);
        if (same != 0) {
            return same;
        }
        int pages = Page.overflowPages(length);
        long p = Page.offset(first);
        if (p + Page.offset(pages) > m.byteSize() || Page.type(m, p) != Page.OVERFLOW
                || m.get(Page.U64, p + Page.OFF_NUMBER) != first) {
            throw new StoreCorruptedException("overflow run " + first + " (" + pages + " pages) is damaged or "
                    + "lies beyond the file");
        }
        long number = next;
        next += pages;
        MemorySegment head = levels[MAX_DEPTH - 1];
        if (head == null) {
            head = levels[MAX_DEPTH - 1] = arena.allocate(Limits.PAGE_SIZE);
        }
        MemorySegment.copy(m, p, head, 0, Limits.PAGE_SIZE);
        head.set(Page.U64, Page.OFF_NUMBER, number); // the value's checksum does not cover the header
        sink.write(head, 0, Limits.PAGE_SIZE);
        if (pages > 1) {
            sink.write(m, p + Limits.PAGE_SIZE, Page.offset(pages - 1));
        }
        remember(first, number);
        counted(pages);
        return number;
    }

    private void remember(long old, long number) {
        if (old < moved.length) {
            moved[(int) old] = (int) number;
        }
    }

    private long lastReported;

    private void counted(long pages) throws IOException {
        passCopied += pages;
        if (passCopied - lastReported >= 256 || passCopied == passTotal) {
            lastReported = passCopied;
            listener.progress(passCopied, passTotal);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("snapshot copy interrupted after " + passCopied + " pages");
        }
    }

    /** Releases the buffers and closes the file of an incremental copy (without finishing it). Idempotent. */
    @Override
    public void close() throws IOException {
        if (arena.scope().isAlive()) {
            arena.close();
        }
        if (sink.file != null) {
            sink.file.close();
        }
    }

    /** Buffered sequential output; positional when it is a file (incremental copies write the meta last). */
    private static final class Sink {
        final WritableByteChannel out;
        final FileChannel file;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
        private final MemorySegment bufferSegment = MemorySegment.ofBuffer(buffer);
        private long position = -1;

        Sink(WritableByteChannel out, FileChannel file) {
            this.out = out;
            this.file = file;
        }

        void position(long at) throws IOException {
            flush();
            position = at;
        }

        void write(MemorySegment from, long offset, long length) throws IOException {
            if (length >= DIRECT_WRITE && from.isNative()) {
                flush(); // keeps the order; then the kernel copies from the mapping without our buffer in between
                ByteBuffer direct = from.asSlice(offset, length).asByteBuffer();
                while (direct.hasRemaining()) {
                    if (position >= 0) {
                        position += file.write(direct, position);
                    } else {
                        out.write(direct);
                    }
                }
                return;
            }
            while (length > 0) {
                if (!buffer.hasRemaining()) {
                    flush();
                }
                int n = (int) Math.min(length, buffer.remaining());
                MemorySegment.copy(from, offset, bufferSegment, buffer.position(), n);
                buffer.position(buffer.position() + n);
                offset += n;
                length -= n;
            }
        }

        void flush() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                if (position >= 0) {
                    position += file.write(buffer, position);
                } else {
                    out.write(buffer);
                }
            }
            buffer.clear();
        }
    }
}
