package dev.blitdb.storage.engine;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The write-ahead log of one store: two files next to the data file, {@code data.blit.wal0} and
 * {@code data.blit.wal1}, used in turn — a checkpoint switches to the other one. A file starts with a header page
 * naming the data file ({@code fileId}), the log generation (file {@code generation % 2}) and the transaction its
 * first record holds; then one record per commit, each starting on a 4 KiB boundary:
 *
 * <pre>
 *   0 u32 magic "BLWR"   4 u32 header bytes (4 KiB multiple)   8 u64 image bytes
 *  16 u64 file id       24 u64 generation   32 u64 transaction id   40 u64 hwm   48 48B catalog
 *  96 u64 commit time  104 u32 pages written (digest count)   108 u32 runs   112 u64 digest   120 u64 commit value
 * 128 u32 CRC32C of the images   132 u32 CRC32C of the header (bytes 0..131 and the run table)
 * 136 runs × (u64 first page, u32 pages), then the page images in that order
 * </pre>
 *
 * A record is accepted only with both checksums right, the header's file id and generation, and the next
 * transaction id: a torn record, a stale one from an earlier use of the file, or one of another data file ends
 * the log. Files are extended with written zeros (ahead, in steps) and then overwritten in place, so a commit's
 * {@code fdatasync} writes its record and no file-size metadata. Not thread-safe: the store serialises calls.
 */
final class WriteAheadLog implements AutoCloseable {

    static final String[] NAMES = {Store.FILE_NAME + ".wal0", Store.FILE_NAME + ".wal1"};
    private static final long FILE_MAGIC = 0x314C_4157_5449_4C42L; // "BLITWAL1" little-endian
    private static final int RECORD_MAGIC = 0x5257_4C42; // "BLWR"
    private static final int PAGE = Limits.PAGE_SIZE;
    private static final int FIXED = 136;
    private static final int RUN = 12;
    /** Zeros written ahead when a file is extended: at least this much, or a quarter of the file. */
    private static final long EXTEND = 256L << 10;

    private static final System.Logger LOG = System.getLogger(WriteAheadLog.class.getName());

    private final Path dir;
    private final DiskSync sync;
    private final long fileId;
    /**
     * Writes with {@code O_DIRECT} (where the file system takes it): the record goes to the device as written, in
     * 4 KiB blocks, bypassing the page cache — whose large folios would make a sync write more than the record —
     * and the {@code fdatasync} after it only flushes the device cache. {@link Durability#NO_SYNC} stores write
     * through the page cache instead: their appends must not wait for the device.
     */
    private boolean direct;
    private final FileChannel[] channels = new FileChannel[2];
    /** Bytes of each file known to be written (zeros or records): writes below never change the file size. */
    private final long[] written = new long[2];
    private final CRC32C crc = new CRC32C();
    private ByteBuffer header = aligned(PAGE);
    private ByteBuffer zeros;
    private int active = -1;
    private long generation;
    private long position;
    private long appendedTxn;
    private long syncedTxn;
    private volatile long bytesSinceStart;

    WriteAheadLog(Path dir, DiskSync sync, long fileId, boolean direct) {
        this.dir = dir;
        this.sync = sync;
        this.fileId = fileId;
        this.direct = direct;
    }

    private static ByteBuffer aligned(int bytes) {
        return ByteBuffer.allocateDirect(bytes + PAGE).alignedSlice(PAGE).limit(bytes).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    private FileChannel open(int idx) throws IOException {
        Path p = path(idx);
        if (direct) {
            FileChannel ch = null;
            try {
                ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        com.sun.nio.file.ExtendedOpenOption.DIRECT);
                long block = Files.getFileStore(p).getBlockSize();
                if (block > 0 && block <= PAGE && PAGE % block == 0) {
                    return ch;
                }
                ch.close();
                LOG.log(System.Logger.Level.DEBUG, "block size " + block + " of " + p + ": log written buffered");
            } catch (IOException | UnsupportedOperationException e) {
                if (ch != null) {
                    ch.close();
                }
                LOG.log(System.Logger.Level.DEBUG, "O_DIRECT refused for " + p + " (" + e + "): log written buffered");
            }
            direct = false;
        }
        return FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Generation of the file being appended to. */
    long generation() {
        return generation;
    }

    /** Bytes appended since the current file was started. */
    long bytesSinceStart() {
        return bytesSinceStart;
    }

    /** Where the next record goes in the current file. */
    long position() {
        return position;
    }

    long appendedTxn() {
        return appendedTxn;
    }

    long syncedTxn() {
        return syncedTxn;
    }

    /**
     * Starts log generation {@code gen} in file {@code gen % 2}, whose first record will be transaction
     * {@code firstTxn}: writes and syncs its header (whatever the file held before is dead from then on). The file
     * is created if missing, and the folder synced so that it exists after a power loss.
     */
    void start(long gen, long firstTxn) throws IOException {
        int idx = (int) (gen % 2);
        boolean created = channels[idx] == null && !Files.exists(path(idx));
        if (channels[idx] == null) {
            channels[idx] = open(idx);
            written[idx] = channels[idx].size() / PAGE * PAGE; // a torn tail page is rewritten with zeros
        }
        ByteBuffer h = aligned(PAGE);
        h.putLong(0, FILE_MAGIC).putInt(8, 1).putLong(16, fileId).putLong(24, gen).putLong(32, firstTxn);
        crc.reset();
        crc.update(h.slice(0, 40));
        h.putInt(40, (int) crc.getValue());
        ensureWritten(idx, PAGE);
        writeFully(channels[idx], new ByteBuffer[]{h}, 0);
        sync.syncLog(path(idx), channels[idx]);
        if (created) {
            sync.syncDirectory(dir);
        }
        active = idx;
        generation = gen;
        position = PAGE;
        appendedTxn = syncedTxn = firstTxn - 1;
        bytesSinceStart = 0;
    }

    /**
     * Appends the record of a commit: its meta and the images of its live runs ({@code runs}: first page, pages)
     * read from {@code map}. Not synced. Returns the record's size in bytes.
     */
    long append(Meta meta, long[] runs, MemorySegment map) throws IOException {
        int n = runs.length / 2;
        int headerBytes = (FIXED + n * RUN + PAGE - 1) / PAGE * PAGE;
        if (header.capacity() < headerBytes) {
            header = aligned(headerBytes);
        }
        ByteBuffer h = header.clear().limit(headerBytes);
        ByteBuffer[] srcs = new ByteBuffer[1 + n];
        long images = 0;
        crc.reset();
        for (int i = 0; i < n; i++) {
            long first = runs[2 * i];
            long pages = runs[2 * i + 1];
            h.putLong(FIXED + i * RUN, first).putInt(FIXED + i * RUN + 8, (int) pages);
            ByteBuffer img = map.asSlice(Page.offset(first), pages * PAGE).asByteBuffer();
            crc.update(img.duplicate());
            srcs[1 + i] = img;
            images += pages * PAGE;
        }
        int imagesCrc = (int) crc.getValue();
        h.putInt(0, RECORD_MAGIC).putInt(4, headerBytes).putLong(8, images).putLong(16, fileId)
                .putLong(24, generation).putLong(32, meta.txnId()).putLong(40, meta.hwm());
        MemorySegment hs = MemorySegment.ofBuffer(h);
        meta.catalog().write(hs, 48);
        h.putLong(96, meta.commitMillis()).putInt(104, meta.pagesWritten()).putInt(108, n)
                .putLong(112, meta.digest()).putLong(120, meta.commitValue()).putInt(128, imagesCrc);
        h.putInt(132, headerCrc(hs, n));
        // Bytes after the run table up to the page end are whatever an earlier record left: not covered, never read.
        srcs[0] = h.position(0);
        long total = headerBytes + images;
        ensureWritten(active, position + total);
        writeFully(channels[active], srcs, position);
        position += total;
        bytesSinceStart += total;
        appendedTxn = meta.txnId();
        return total;
    }

    /** The current file and the newest transaction appended to it, when not all of it is synced; else null. */
    record Unsynced(Path path, FileChannel channel, long generation, long txn) {
    }

    Unsynced unsynced() {
        return appendedTxn == syncedTxn ? null : new Unsynced(path(active), channels[active], generation, appendedTxn);
    }

    /** After {@code u} was synced outside the store's log lock. */
    void synced(Unsynced u) {
        if (u.generation() == generation && u.txn() > syncedTxn) {
            syncedTxn = u.txn();
        }
    }

    /** Makes every record appended so far durable ({@code fdatasync} of the current file). */
    void sync() throws IOException {
        if (appendedTxn != syncedTxn) {
            sync.syncLog(path(active), channels[active]);
            syncedTxn = appendedTxn;
        }
    }

    private int headerCrc(MemorySegment h, int runs) {
        crc.reset();
        crc.update(h.asSlice(0, 132).asByteBuffer());
        crc.update(h.asSlice(FIXED, (long) runs * RUN).asByteBuffer());
        return (int) crc.getValue();
    }

    private void ensureWritten(int idx, long end) throws IOException {
        if (end <= written[idx]) {
            return;
        }
        long target = Math.max(end, written[idx] + Math.max(EXTEND, written[idx] / 4));
        target = (target + PAGE - 1) / PAGE * PAGE;
        if (zeros == null) {
            zeros = aligned(1 << 20);
        }
        long at = written[idx];
        while (at < target) {
            ByteBuffer z = zeros.clear().limit((int) Math.min(zeros.capacity(), target - at));
            at += channels[idx].write(z, at);
        }
        written[idx] = target;
    }

    private static void writeFully(FileChannel ch, ByteBuffer[] srcs, long at) throws IOException {
        ch.position(at);
        int from = 0;
        while (from < srcs.length) {
            ch.write(srcs, from, srcs.length - from);
            while (from < srcs.length && !srcs[from].hasRemaining()) {
                from++;
            }
        }
    }

    private Path path(int idx) {
        return dir.resolve(NAMES[idx]);
    }

    /** Closes both files and deletes them (the data file holds everything), then syncs the folder. */
    void deleteFiles() throws IOException {
        close();
        boolean any = false;
        for (int i = 0; i < 2; i++) {
            any |= Files.deleteIfExists(path(i));
        }
        if (any) {
            sync.syncDirectory(dir);
        }
    }

    @Override
    public void close() throws IOException {
        IOException failed = null;
        for (int i = 0; i < 2; i++) {
            if (channels[i] != null) {
                try {
                    channels[i].close();
                } catch (IOException e) {
                    failed = e;
                }
                channels[i] = null;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    // ---------------------------------------------------------------- reading (opening a store)

    /** One commit found in the log: its meta and where its page images are. */
    record Logged(Meta meta, long[] runs, MemorySegment images) {
    }

    /**
     * What the log holds after checkpoint {@code from}: the chain of valid records for transactions
     * {@code from.txnId() + 1, + 2, …}, starting in log generation {@code from.generation()} and going on into the
     * next generations. {@code present} is false when the first file is missing or is not that generation of this
     * data file (then the checkpoint cannot be trusted alone: its log is lost). {@code maxGeneration}: the highest
     * generation any header of this data file names. Image segments stay valid until {@code arena} is closed.
     */
    record Chain(boolean present, List<Logged> commits, String end, long maxGeneration, Arena arena) {
    }

    static Chain read(Path dir, Meta from) throws IOException {
        Arena arena = Arena.ofShared();
        MemorySegment[] maps = new MemorySegment[2];
        long[] headerGen = {-1, -1};
        long[] headerFirst = new long[2];
        long maxGen = -1;
        try {
            for (int i = 0; i < 2; i++) {
                Path p = dir.resolve(NAMES[i]);
                if (!Files.exists(p)) {
                    continue;
                }
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                    long size = ch.size();
                    if (size < PAGE) {
                        continue;
                    }
                    maps[i] = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
                }
                MemorySegment m = maps[i];
                CRC32C c = new CRC32C();
                c.update(m.asSlice(0, 40).asByteBuffer());
                if (m.get(Page.U64, 0) == FILE_MAGIC && m.get(Page.U32, 40) == (int) c.getValue()
                        && m.get(Page.U64, 16) == from.fileId()) {
                    headerGen[i] = m.get(Page.U64, 24);
                    headerFirst[i] = m.get(Page.U64, 32);
                    maxGen = Math.max(maxGen, headerGen[i]);
                }
            }
            List<Logged> commits = new ArrayList<>();
            long gen = from.generation();
            long expected = from.txnId() + 1;
            int first = (int) (gen % 2);
            boolean present = headerGen[first] == gen && headerFirst[first] == expected;
            String end = present ? null : "no log file of generation " + gen + " starting at transaction "
                    + expected + " for file id " + Long.toHexString(from.fileId());
            while (end == null) {
                int idx = (int) (gen % 2);
                if (headerGen[idx] != gen || headerFirst[idx] != expected) {
                    end = "end of log after generation " + (gen - 1);
                    break;
                }
                end = readFile(maps[idx], from.fileId(), gen, expected, commits);
                expected = commits.isEmpty() ? expected : commits.getLast().meta().txnId() + 1;
                if (end == null) {
                    gen++;
                }
            }
            return new Chain(present, commits, end, maxGen, arena);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Reads the records of one file into {@code out}; returns why the chain ends here, or null when the file ended
     * cleanly (zeros or a record of an earlier use) so that the next generation may continue it.
     */
    private static String readFile(MemorySegment m, long fileId, long gen, long expected, List<Logged> out) {
        CRC32C c = new CRC32C();
        long at = PAGE;
        long size = m.byteSize();
        for (; ; ) {
            if (at + FIXED > size || m.get(Page.U32, at) != RECORD_MAGIC) {
                return null;
            }
            int headerBytes = m.get(Page.U32, at + 4);
            long images = m.get(Page.U64, at + 8);
            int n = m.get(Page.U32, at + 108);
            if (headerBytes < FIXED || headerBytes % PAGE != 0 || n < 0 || (long) FIXED + (long) n * RUN > headerBytes
                    || images < 0 || images % PAGE != 0 || at + headerBytes + images > size) {
                return "record at " + at + " of generation " + gen + " is torn (bad lengths)";
            }
            c.reset();
            c.update(m.asSlice(at, 132).asByteBuffer());
            c.update(m.asSlice(at + FIXED, (long) n * RUN).asByteBuffer());
            if (m.get(Page.U32, at + 132) != (int) c.getValue()) {
                return "record at " + at + " of generation " + gen + " is torn (header checksum)";
            }
            long txn = m.get(Page.U64, at + 32);
            if (m.get(Page.U64, at + 16) != fileId || m.get(Page.U64, at + 24) != gen || txn != expected) {
                return null; // a record left by an earlier use of this file (or of another data file)
            }
            c.reset();
            c.update(m.asSlice(at + headerBytes, images).asByteBuffer());
            if (m.get(Page.U32, at + 128) != (int) c.getValue()) {
                return "record of transaction " + txn + " is torn (image checksum)";
            }
            long[] runs = new long[2 * n];
            long sum = 0;
            for (int i = 0; i < n; i++) {
                runs[2 * i] = m.get(Page.U64, at + FIXED + (long) i * RUN);
                runs[2 * i + 1] = Integer.toUnsignedLong(m.get(Page.U32, at + FIXED + (long) i * RUN + 8));
                sum += runs[2 * i + 1];
            }
            if (sum * PAGE != images) {
                return "record of transaction " + txn + " has a run table that disagrees with its images";
            }
            Meta meta = new Meta(txn, m.get(Page.U64, at + 40), TreeRecord.read(m, at + 48), m.get(Page.U64, at + 96),
                    m.get(Page.U32, at + 104), m.get(Page.U64, at + 112), m.get(Page.U64, at + 120));
            out.add(new Logged(meta, runs, m.asSlice(at + headerBytes, images)));
            expected = txn + 1;
            at += headerBytes + images;
        }
    }
}
