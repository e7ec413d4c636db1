package dev.blitdb.storage.engine;

import dev.blitdb.storage.nativeio.NativeIo;

/**
 * Default access-pattern advice for the whole mapping ({@code madvise}). {@link #RANDOM} is the store's default:
 * with read-around ({@link #NORMAL}, {@link #SEQUENTIAL}) the kernel fills the page cache with large folios, and a
 * durable commit then writes every dirty folio whole (see "Page cache and large folios" in DESIGN.md).
 */
public enum Advice {
    /** Kernel read-around on faults; makes commits write large folios whole. */
    NORMAL(NativeIo.MADV_NORMAL),
    /** No read-around: one 4 KiB page per fault (the default; scans prefetch explicitly). */
    RANDOM(NativeIo.MADV_RANDOM),
    /** Scans: aggressive read-ahead (same large-folio cost for commits as NORMAL). */
    SEQUENTIAL(NativeIo.MADV_SEQUENTIAL);

    final int madvise;

    Advice(int madvise) {
        this.madvise = madvise;
    }
}
