package dev.blitdb.storage.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Byte layout of pages and cells, as static accessors over the mapping (the single source of these offsets; the
 * table is in {@code storage/DESIGN.md}). Every method takes the mapped segment and a page's byte offset, so a
 * reader walks a tree without allocating anything.
 */
final class Page {

    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static final int HEADER = 32;
    static final int OFF_CRC = 0;
    static final int OFF_TYPE = 4;
    static final int OFF_COUNT = 6;
    static final int OFF_NUMBER = 8;
    static final int OFF_TXN = 16;
    static final int OFF_LOWER = 24;      // tree pages: end of slot array; overflow: value length
    static final int OFF_UPPER = 28;      // tree pages: start of cell area; overflow: pages in the run

    static final byte BRANCH = 1;
    static final byte LEAF = 2;
    static final byte OVERFLOW = 3;

    /** Leaf cell: u16 keyLength, u8 kind, u32 valueLength, key, value or u64 overflow page. */
    static final int LEAF_CELL_HEADER = 7;
    static final byte KIND_INLINE = 0;
    static final byte KIND_OVERFLOW = 1;
    /** Branch cell: u16 keyLength, u64 child, key. */
    static final int BRANCH_CELL_HEADER = 10;

    private Page() {
    }

    static long offset(long page) {
        return page << Limits.PAGE_SHIFT;
    }

    static byte type(MemorySegment m, long p) {
        return m.get(ValueLayout.JAVA_BYTE, p + OFF_TYPE);
    }

    static int count(MemorySegment m, long p) {
        return Short.toUnsignedInt(m.get(U16, p + OFF_COUNT));
    }

    static long txn(MemorySegment m, long p) {
        return m.get(U64, p + OFF_TXN);
    }

    static int lower(MemorySegment m, long p) {
        return m.get(U32, p + OFF_LOWER);
    }

    static int upper(MemorySegment m, long p) {
        return m.get(U32, p + OFF_UPPER);
    }

    /** Byte offset, within the mapping, of cell {@code i} of the page at {@code p}. */
    static long cell(MemorySegment m, long p, int i) {
        return p + Short.toUnsignedInt(m.get(U16, p + HEADER + 2L * i));
    }

    static int keyLength(MemorySegment m, long cell) {
        return Short.toUnsignedInt(m.get(U16, cell));
    }

    static long leafKey(long cell) {
        return cell + LEAF_CELL_HEADER;
    }

    static byte leafKind(MemorySegment m, long cell) {
        return m.get(ValueLayout.JAVA_BYTE, cell + 2);
    }

    static int leafValueLength(MemorySegment m, long cell) {
        return m.get(U32, cell + 3);
    }

    /** Offset of the inline value, or of the u64 overflow page number. */
    static long leafValue(MemorySegment m, long cell) {
        return cell + LEAF_CELL_HEADER + keyLength(m, cell);
    }

    static long branchChild(MemorySegment m, long cell) {
        return m.get(U64, cell + 2);
    }

    static long branchKey(long cell) {
        return cell + BRANCH_CELL_HEADER;
    }

    /** Size of a leaf cell in bytes (without its slot). */
    static int leafCellSize(MemorySegment m, long cell) {
        int k = keyLength(m, cell);
        return LEAF_CELL_HEADER + k + (leafKind(m, cell) == KIND_INLINE ? leafValueLength(m, cell) : 8);
    }

    static int branchCellSize(MemorySegment m, long cell) {
        return BRANCH_CELL_HEADER + keyLength(m, cell);
    }

    /** Pages an overflow run needs for a value of {@code length} bytes (the header sits in the first page). */
    static int overflowPages(long length) {
        return (int) ((length + HEADER + Limits.PAGE_SIZE - 1) >>> Limits.PAGE_SHIFT);
    }

    /** Whether a value of this size, with this key, is stored inline. */
    static boolean inline(int keyLength, long valueLength) {
        return LEAF_CELL_HEADER + keyLength + valueLength + 2 <= Limits.MAX_CELL_WITH_SLOT;
    }

    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /**
     * Compares key bytes {@code [aOff, aOff+aLen)} of {@code a} with {@code [bOff, bOff+bLen)} of {@code b} as
     * unsigned bytes, shorter first on a common prefix; only the sign of the result means anything. Reads 8 (then
     * 4, then 1) bytes at a time as big-endian numbers, which is cheaper than a vectorized mismatch for the short
     * keys that dominate (ids, etags). No allocation.
     */
    static int compare(MemorySegment a, long aOff, int aLen, MemorySegment b, long bOff, int bLen) {
        int n = Math.min(aLen, bLen);
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long x = a.get(BE64, aOff + i);
            long y = b.get(BE64, bOff + i);
            if (x != y) {
                return Long.compareUnsigned(x, y);
            }
        }
        if (i + 4 <= n) {
            int x = a.get(BE32, aOff + i);
            int y = b.get(BE32, bOff + i);
            if (x != y) {
                return Integer.compareUnsigned(x, y);
            }
            i += 4;
        }
        for (; i < n; i++) {
            int x = Byte.toUnsignedInt(a.get(ValueLayout.JAVA_BYTE, aOff + i));
            int y = Byte.toUnsignedInt(b.get(ValueLayout.JAVA_BYTE, bOff + i));
            if (x != y) {
                return x - y;
            }
        }
        return aLen - bLen;
    }

    /**
     * The first 8 bytes of a key as an unsigned big-endian number, zero-padded when the key is shorter. For keys
     * x &lt; y, head(x) &le; head(y), so unequal heads decide a comparison without reading the rest of either key.
     */
    static long head(MemorySegment s, long off, int len) {
        if (len >= 8) {
            return s.get(BE64, off);
        }
        long h = 0;
        int i = 0;
        if (len >= 4) {
            h = Integer.toUnsignedLong(s.get(BE32, off)) << 32;
            i = 4;
        }
        for (; i < len; i++) {
            h |= (long) Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, off + i)) << (56 - 8 * i);
        }
        return h;
    }

    /** {@link #compare} of two keys whose heads are equal: when both hold 8 bytes or more, those are skipped. */
    private static int compareAfterHead(MemorySegment a, long aOff, int aLen, MemorySegment b, long bOff, int bLen) {
        if (aLen >= 8 && bLen >= 8) {
            return compare(a, aOff + 8, aLen - 8, b, bOff + 8, bLen - 8);
        }
        return compare(a, aOff, aLen, b, bOff, bLen);
    }

    /**
     * Binary search in a leaf: index of the exact match, or {@code -(insertion point) - 1}. The search key's head
     * is read once; most probes then cost one slot read and one 8-byte read of the cell's key.
     */
    static int searchLeaf(MemorySegment m, long p, MemorySegment key, long kOff, int kLen) {
        long kHead = head(key, kOff, kLen);
        int lo = 0;
        int hi = count(m, p) - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long c = cell(m, p, mid);
            int cLen = keyLength(m, c);
            long cHead = head(m, leafKey(c), cLen);
            int cmp = cHead != kHead ? Long.compareUnsigned(cHead, kHead)
                    : compareAfterHead(m, leafKey(c), cLen, key, kOff, kLen);
            if (cmp < 0) {
                lo = mid + 1;
            } else if (cmp > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /** Index of the child of a branch whose range holds the key (cell 0's key counts as minus infinity). */
    static int searchBranch(MemorySegment m, long p, MemorySegment key, long kOff, int kLen) {
        long kHead = head(key, kOff, kLen);
        int lo = 1;
        int hi = count(m, p) - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long c = cell(m, p, mid);
            int cLen = keyLength(m, c);
            long cHead = head(m, branchKey(c), cLen);
            int cmp = cHead != kHead ? Long.compareUnsigned(cHead, kHead)
                    : compareAfterHead(m, branchKey(c), cLen, key, kOff, kLen);
            if (cmp <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
