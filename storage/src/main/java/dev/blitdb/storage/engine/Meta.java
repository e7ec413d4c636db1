package dev.blitdb.storage.engine;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/**
 * One meta page: a checkpoint. Checkpoints alternate between pages 0 and 1; the newest valid one (highest
 * {@code generation}, then transaction id) is where opening starts, and when it says a write-ahead log follows,
 * the log's records after it are replayed (see "The commit protocol" in DESIGN.md).
 *
 * <pre>
 *   0  u64  magic "BLITDB01"        8  u32 format version   12 u32 page size
 *  16  u64  transaction id          24 u64 hwm (first never-used page)
 *  32  48B  catalog TreeRecord      80 u64 commit time (epoch ms)
 *  version 2 (written by this build):
 *  88  u32  pages written by this transaction (live run heads)   92 u32 reserved (0)
 *  96  u64  commit digest: sum of mix(page, page CRC) over those pages
 * 104  u64  commit value (caller-supplied, e.g. an applied log index; inherited when not set)
 *  version 3 (written by this build):
 *  92  u32  flags: bit 0 = a write-ahead log follows (records after this transaction may exist)
 * 112  u64  file id: random per data file; the log's header and records must carry it
 * 120  u64  generation: increases with every meta page written; the log file that follows has the same one
 * 128  u32  CRC32C of bytes 0..127
 *  version 2 (read only): as 3 up to 104, CRC32C at 112; no log follows
 *  version 1 (read only): 88 u32 CRC32C of bytes 0..87; no digest (its commits synced pages before the meta)
 * </pre>
 *
 * Everything lies in the first 512-byte sector, so a torn meta write is either all old or all new per sector
 * and the CRC catches a mix.
 *
 * @param pagesWritten -1 when there is no digest to check: a version-1 meta page, or a snapshot copy's (a copy is
 *                     synced whole and verified against its manifest before it is opened; see SnapshotCopy)
 */
record Meta(long txnId, long hwm, TreeRecord catalog, long commitMillis, int pagesWritten, long digest,
            long commitValue, long fileId, long generation, boolean logFollows) {

    static final long MAGIC = 0x31304244_54494C42L; // "BLITDB01" little-endian
    static final int VERSION = 3;
    private static final int CRC_AT_V1 = 88;
    private static final int CRC_AT_V2 = 112;
    private static final int CRC_AT = 128;

    /** A commit's state before any checkpoint names its file and generation. */
    Meta(long txnId, long hwm, TreeRecord catalog, long commitMillis, int pagesWritten, long digest,
         long commitValue) {
        this(txnId, hwm, catalog, commitMillis, pagesWritten, digest, commitValue, 0, 0, false);
    }

    /** A new data file's id: random, never 0 (0 stands for a version-2 file, which has none). */
    static long newFileId() {
        long id;
        do {
            id = new java.security.SecureRandom().nextLong();
        } while (id == 0);
        return id;
    }

    /**
     * The file id of a snapshot copy of transaction {@code txnId} of the file {@code sourceFileId}: a new id (never
     * the source's), the same for every copy of that snapshot, so two copies of one snapshot are the same bytes.
     */
    static long copyFileId(long sourceFileId, long txnId) {
        long id = digestTerm(txnId, (int) (sourceFileId ^ (sourceFileId >>> 32))) ^ sourceFileId * 0x9E3779B97F4A7C15L;
        return id == 0 || id == sourceFileId ? 1 + (id ^ 0x5DEECE66DL) : id;
    }

    /** This state as checkpoint {@code generation} of file {@code fileId}. */
    Meta asCheckpoint(long fileId, long generation, boolean logFollows) {
        return new Meta(txnId, hwm, catalog, commitMillis, pagesWritten, digest, commitValue, fileId, generation,
                logFollows);
    }

    void write(MemorySegment m, long pageOffset) {
        m.asSlice(pageOffset, Limits.PAGE_SIZE).fill((byte) 0);
        m.set(Page.U64, pageOffset, MAGIC);
        m.set(Page.U32, pageOffset + 8, VERSION);
        m.set(Page.U32, pageOffset + 12, Limits.PAGE_SIZE);
        m.set(Page.U64, pageOffset + 16, txnId);
        m.set(Page.U64, pageOffset + 24, hwm);
        catalog.write(m, pageOffset + 32);
        m.set(Page.U64, pageOffset + 80, commitMillis);
        m.set(Page.U32, pageOffset + 88, pagesWritten);
        m.set(Page.U64, pageOffset + 96, digest);
        m.set(Page.U64, pageOffset + 104, commitValue);
        m.set(Page.U32, pageOffset + 92, logFollows ? 1 : 0);
        m.set(Page.U64, pageOffset + 112, fileId);
        m.set(Page.U64, pageOffset + 120, generation);
        m.set(Page.U32, pageOffset + CRC_AT, crc(m, pageOffset, CRC_AT));
    }

    private static int crc(MemorySegment m, long pageOffset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(m.asSlice(pageOffset, length).asByteBuffer());
        return (int) crc.getValue();
    }

    /** The digest term of one page: order-independent (summed), so the open-time walk can add in any order. */
    static long digestTerm(long page, int crc) {
        long x = (page << 32) ^ (crc & 0xFFFF_FFFFL);
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L; // splitmix64 finaliser
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    /** Decodes meta page {@code slot}, or returns a reason why it is not valid. */
    static Object read(MemorySegment m, int slot) {
        long p = Page.offset(slot);
        if (m.byteSize() < p + Limits.PAGE_SIZE) {
            return "meta page " + slot + " lies beyond the end of the file (" + m.byteSize() + " bytes)";
        }
        long magic = m.get(Page.U64, p);
        if (magic != MAGIC) {
            return "meta page " + slot + " has magic 0x" + Long.toHexString(magic) + ", expected 0x"
                    + Long.toHexString(MAGIC) + " (not a BlitDB file, or never written)";
        }
        int version = m.get(Page.U32, p + 8);
        int crcAt = version == 1 ? CRC_AT_V1 : version == 2 ? CRC_AT_V2 : CRC_AT;
        int stored = m.get(Page.U32, p + crcAt);
        int actual = crc(m, p, crcAt);
        if (stored != actual) {
            return "meta page " + slot + " checksum 0x" + Integer.toHexString(stored) + " does not match its "
                    + "contents (0x" + Integer.toHexString(actual) + "): a torn commit";
        }
        int pageSize = m.get(Page.U32, p + 12);
        if (version < 1 || version > VERSION || pageSize != Limits.PAGE_SIZE) {
            return "meta page " + slot + " has format version " + version + " and page size " + pageSize
                    + "; this build reads versions 1 to " + VERSION + " with page size " + Limits.PAGE_SIZE;
        }
        boolean v1 = version == 1;
        boolean v3 = version == 3;
        return new Meta(m.get(Page.U64, p + 16), m.get(Page.U64, p + 24), TreeRecord.read(m, p + 32),
                m.get(Page.U64, p + 80), v1 ? -1 : m.get(Page.U32, p + 88), v1 ? 0 : m.get(Page.U64, p + 96),
                v1 ? 0 : m.get(Page.U64, p + 104), v3 ? m.get(Page.U64, p + 112) : 0,
                v3 ? m.get(Page.U64, p + 120) : 0, v3 && (m.get(Page.U32, p + 92) & 1) != 0);
    }
}
