package dev.blitdb.storage.engine;

/**
 * How a store is opened. Immutable; start from {@link #defaults()} and change with the {@code with…} methods.
 *
 * @param durability    whether commits msync before returning (default {@link Durability#SYNC})
 * @param minGrowth     smallest growth step of the data file in bytes (default 64 MiB); a step is also at
 *                      least 1/8 of the file, so a big store grows in big steps
 * @param allocator     how file space is reserved (default {@link SpaceAllocator#standard()})
 * @param defaultAdvice default {@code madvise} advice applied to every mapping (default {@link Advice#NORMAL})
 */
public record StoreOptions(Durability durability, long minGrowth, SpaceAllocator allocator, Advice defaultAdvice) {

    public StoreOptions {
        if (minGrowth < Limits.PAGE_SIZE * 16L) {
            throw new IllegalArgumentException("minGrowth must be at least 16 pages (" + Limits.PAGE_SIZE * 16
                    + " bytes), was " + minGrowth);
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(Durability.SYNC, 64L << 20, SpaceAllocator.standard(), Advice.NORMAL);
    }

    public StoreOptions withDurability(Durability d) {
        return new StoreOptions(d, minGrowth, allocator, defaultAdvice);
    }

    public StoreOptions withMinGrowth(long bytes) {
        return new StoreOptions(durability, bytes, allocator, defaultAdvice);
    }

    public StoreOptions withAllocator(SpaceAllocator a) {
        return new StoreOptions(durability, minGrowth, a, defaultAdvice);
    }

    public StoreOptions withDefaultAdvice(Advice a) {
        return new StoreOptions(durability, minGrowth, allocator, a);
    }
}
