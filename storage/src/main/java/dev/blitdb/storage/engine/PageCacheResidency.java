package dev.blitdb.storage.engine;

/**
 * How much of a data file's mapping is in the page cache right now, as {@code mincore} reports it.
 *
 * @param residentBytes bytes whose OS pages are resident
 * @param mappedBytes   bytes of the mapping (the file size)
 */
public record PageCacheResidency(long residentBytes, long mappedBytes) {

    /** Resident share, 0 to 1. */
    public double ratio() {
        return mappedBytes == 0 ? 0 : (double) residentBytes / mappedBytes;
    }
}
