package dev.blitdb.blittable;

import static dev.blitdb.blittable.BlitFormat.*;

/** Writes an object's table when it ends (FORMAT.md §6): sort by name, drop duplicates (§10), pick widths. */
final class ObjectTable {
    private ObjectTable() {
    }

    /**
     * Writes the table of the object whose {@code n} entries are {@code ids/pos[start, start + n)} in arrival order.
     * Returns the table's (the object's) position.
     */
    static int write(BlitBuilder b, int[] ids, int[] pos, int start, int n) {
        int tablePos = b.position(); // logical; b.pos is an index into the (possibly spilling) window
        if (n == 0) {
            b.ensure(2);
            b.buf[b.pos++] = (byte) TYPE_OBJECT;
            b.buf[b.pos++] = 0;
            return tablePos;
        }
        int[] idx = b.sortIdx(n);
        b.shapes.sort(idx, b.sortTmp(), n, ids, start, b.names);

        // Collapse runs of equal names: the last value wins, the first arrival keeps the place (§10).
        // After this loop idx[0..m) holds, per surviving name, the arrival index of its *first* occurrence and
        // valueOf[k] the position of the value of its *last* one.
        int[] valueOf = b.sortTmp();
        int m = 0;
        boolean sorted = true;
        int maxId = 0;
        int minPos = Integer.MAX_VALUE;
        for (int i = 0; i < n; ) {
            int first = idx[i];
            int id = ids[start + first];
            int j = i + 1;
            while (j < n && ids[start + idx[j]] == id) {
                j++;
            }
            int value = pos[start + idx[j - 1]];
            if (first != m || j - i > 1) {
                sorted = false;
            }
            idx[m] = first;
            valueOf[m] = value;
            maxId = Math.max(maxId, id);
            minPos = Math.min(minPos, value);
            m++;
            i = j;
        }
        int ow = width(widthCodeFor(tablePos - minPos));
        int iw = width(widthCodeFor(maxId));
        int pw = sorted ? 0 : orderWidth(m);
        b.ensure(1 + 5 + m * (ow + iw + pw));
        byte[] buf = b.buf;
        int p = b.pos;
        buf[p++] = (byte) (TYPE_OBJECT | widthCodeFor(tablePos - minPos) << OFFSET_WIDTH_SHIFT
                | widthCodeFor(maxId) << ID_WIDTH_SHIFT);
        p = Bytes.putVarint(buf, p, (long) m << 1 | (sorted ? 0 : ORIGINAL_ORDER_FLAG));
        for (int k = 0; k < m; k++) {
            Bytes.putUint(buf, p, tablePos - valueOf[k], ow);
            p += ow;
            Bytes.putUint(buf, p, ids[start + idx[k]], iw);
            p += iw;
        }
        if (!sorted) {
            // order[arrival] = sorted index of the surviving name that first arrived there, else -1.
            int[] order = b.order();
            for (int i = 0; i < n; i++) {
                order[i] = -1;
            }
            for (int k = 0; k < m; k++) {
                order[idx[k]] = k;
            }
            for (int i = 0; i < n; i++) {
                if (order[i] >= 0) {
                    Bytes.putUint(buf, p, order[i], pw);
                    p += pw;
                }
            }
        }
        b.pos = p;
        return tablePos;
    }
}
