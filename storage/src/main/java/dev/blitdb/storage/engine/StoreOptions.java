package dev.blitdb.storage.engine;

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
 */
public record StoreOptions(Durability durability, long minGrowth, SpaceAllocator allocator, Advice defaultAdvice,
                           DiskSync diskSync) {

    public StoreOptions {
        if (minGrowth < Limits.PAGE_SIZE * 16L) {
            throw new IllegalArgumentException("minGrowth must be at least 16 pages (" + Limits.PAGE_SIZE * 16
                    + " bytes), was " + minGrowth);
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(Durability.SYNC, 64L << 20, SpaceAllocator.standard(), Advice.RANDOM,
                DiskSync.SYSTEM);
    }

    public StoreOptions withDurability(Durability d) {
        return new StoreOptions(d, minGrowth, allocator, defaultAdvice, diskSync);
    }

    public StoreOptions withMinGrowth(long bytes) {
        return new StoreOptions(durability, bytes, allocator, defaultAdvice, diskSync);
    }

    public StoreOptions withAllocator(SpaceAllocator a) {
        return new StoreOptions(durability, minGrowth, a, defaultAdvice, diskSync);
    }

    public StoreOptions withDefaultAdvice(Advice a) {
        return new StoreOptions(durability, minGrowth, allocator, a, diskSync);
    }

    public StoreOptions withDiskSync(DiskSync s) {
        return new StoreOptions(durability, minGrowth, allocator, defaultAdvice, s);
    }
}
