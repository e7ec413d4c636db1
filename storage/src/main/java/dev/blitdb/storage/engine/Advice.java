package dev.blitdb.storage.engine;

import dev.blitdb.storage.nativeio.NativeIo;

/** Default access-pattern advice for the whole mapping ({@code madvise}). */
public enum Advice {
    NORMAL(NativeIo.MADV_NORMAL),
    /** Point reads over a data set bigger than memory: no read-ahead around faults. */
    RANDOM(NativeIo.MADV_RANDOM),
    /** Scans: aggressive read-ahead. */
    SEQUENTIAL(NativeIo.MADV_SEQUENTIAL);

    final int madvise;

    Advice(int madvise) {
        this.madvise = madvise;
    }
}
