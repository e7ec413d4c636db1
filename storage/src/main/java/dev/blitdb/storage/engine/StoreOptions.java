package dev.blitdb.storage.engine;

import java.time.Duration;

/**
 * How a store is opened. Immutable; start from {@link #defaults()} and change with the {@code with…} methods.
 *
 * @param durability    whether commits msync before returning (default {@link Durability#SYNC})
 * @param minGrowth     smallest growth step of the data file in bytes (default 64 MiB); a step is also at
 *                      least 1/8 of the file, so a big store grows in big steps
 * @param allocator     how file space is reserved (default {@link SpaceAllocator#standard()})
 * @param defaultAdvice default {@code madvise} advice applied to every mapping (default {@link Advice#RANDOM}: no
 *                      read-around, so the page cache holds the file in 4 KiB folios and a commit writes only the
 *                      pages it changed; see "Page cache and large folios" in DESIGN.md)
 * @param diskSync      the sync calls (default {@link DiskSync#SYSTEM}; the power-loss tests record them)
 * @param checkpointBytes    a checkpoint starts once the write-ahead log holds this many bytes since the last one
 *                           (default 64 MiB; {@link Long#MAX_VALUE}: never by size)
 * @param checkpointInterval and at the latest this long after the last one, if anything was committed since
 *                           (default 5 s; {@link Duration#ZERO}: never by time, and then a
 *                           {@link Durability#NO_SYNC} store's log is not synced in the background either)
 */
public record StoreOptions(Durability durability, long minGrowth, SpaceAllocator allocator, Advice defaultAdvice,
                           DiskSync diskSync, long checkpointBytes, Duration checkpointInterval) {

    public StoreOptions {
        if (minGrowth < Limits.PAGE_SIZE * 16L) {
            throw new IllegalArgumentException("minGrowth must be at least 16 pages (" + Limits.PAGE_SIZE * 16
                    + " bytes), was " + minGrowth);
        }
        if (checkpointBytes < Limits.PAGE_SIZE || checkpointInterval.isNegative()) {
            throw new IllegalArgumentException("checkpointBytes must be at least one page and checkpointInterval "
                    + "not negative, were " + checkpointBytes + " and " + checkpointInterval);
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(Durability.SYNC, 64L << 20, SpaceAllocator.standard(), Advice.RANDOM,
                DiskSync.SYSTEM, 64L << 20, Duration.ofSeconds(5));
    }

    /** When checkpoints start by themselves (see the parameters); tests turn both off and call them by hand. */
    public StoreOptions withCheckpoints(long bytes, Duration interval) {
        return new StoreOptions(durability, minGrowth, allocator, defaultAdvice, diskSync, bytes, interval);
    }

    public StoreOptions withDurability(Durability d) {
        return new StoreOptions(d, minGrowth, allocator, defaultAdvice, diskSync,
                checkpointBytes, checkpointInterval);
    }

    public StoreOptions withMinGrowth(long bytes) {
        return new StoreOptions(durability, bytes, allocator, defaultAdvice, diskSync,
                checkpointBytes, checkpointInterval);
    }

    public StoreOptions withAllocator(SpaceAllocator a) {
        return new StoreOptions(durability, minGrowth, a, defaultAdvice, diskSync,
                checkpointBytes, checkpointInterval);
    }

    public StoreOptions withDefaultAdvice(Advice a) {
        return new StoreOptions(durability, minGrowth, allocator, a, diskSync,
                checkpointBytes, checkpointInterval);
    }

    public StoreOptions withDiskSync(DiskSync s) {
        return new StoreOptions(durability, minGrowth, allocator, defaultAdvice, s,
                checkpointBytes, checkpointInterval);
    }
}
