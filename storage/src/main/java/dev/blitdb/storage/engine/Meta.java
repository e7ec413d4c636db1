package dev.blitdb.storage.engine;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/**
 * One meta page: the commit point. Transaction N writes page {@code N % 2}; the newest one whose checksum holds
 * (and whose trees verify) is the state of the store.
 *
 * <pre>
 *   0  u64  magic "BLITDB01"        8  u32 format version   12 u32 page size
 *  16  u64  transaction id          24 u64 hwm (first never-used page)
 *  32  48B  catalog TreeRecord      80 u64 commit time (epoch ms)
 *  88  u32  CRC32C of bytes 0..87
 * </pre>
 */
record Meta(long txnId, long hwm, TreeRecord catalog, long commitMillis) {

    static final long MAGIC = 0x31304244_54494C42L; // "BLITDB01" little-endian
    static final int VERSION = 1;
    private static final int CRC_AT = 88;

    void write(MemorySegment m, long pageOffset) {
        m.asSlice(pageOffset, Limits.PAGE_SIZE).fill((byte) 0);
        m.set(Page.U64, pageOffset, MAGIC);
        m.set(Page.U32, pageOffset + 8, VERSION);
        m.set(Page.U32, pageOffset + 12, Limits.PAGE_SIZE);
        m.set(Page.U64, pageOffset + 16, txnId);
        m.set(Page.U64, pageOffset + 24, hwm);
        catalog.write(m, pageOffset + 32);
        m.set(Page.U64, pageOffset + 80, commitMillis);
        m.set(Page.U32, pageOffset + CRC_AT, crc(m, pageOffset));
    }

    private static int crc(MemorySegment m, long pageOffset) {
        CRC32C crc = new CRC32C();
        crc.update(m.asSlice(pageOffset, CRC_AT).asByteBuffer());
        return (int) crc.getValue();
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
        int stored = m.get(Page.U32, p + CRC_AT);
        int actual = crc(m, p);
        if (stored != actual) {
            return "meta page " + slot + " checksum 0x" + Integer.toHexString(stored) + " does not match its "
                    + "contents (0x" + Integer.toHexString(actual) + "): a torn commit";
        }
        int version = m.get(Page.U32, p + 8);
        int pageSize = m.get(Page.U32, p + 12);
        if (version != VERSION || pageSize != Limits.PAGE_SIZE) {
            return "meta page " + slot + " has format version " + version + " and page size " + pageSize
                    + "; this build reads version " + VERSION + " with page size " + Limits.PAGE_SIZE;
        }
        return new Meta(m.get(Page.U64, p + 16), m.get(Page.U64, p + 24), TreeRecord.read(m, p + 32),
                m.get(Page.U64, p + 80));
    }
}
