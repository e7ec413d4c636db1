package dev.blitdb.server.metrics;

import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.storage.engine.PageCacheResidency;
import dev.blitdb.storage.engine.Store;

import java.util.Collection;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Page-cache residency of each data file, sampled with {@code mincore} at most every {@link #MAX_AGE_NANOS}
 * instead of on every scrape: {@code mincore} walks one byte per page of the mapping (25 million for a 100 GB file)
 * while residency changes slowly. A database's first scrape samples it inline (so its series is there at once);
 * after that a scrape that finds a sample older than the limit starts one background refresh of every stale
 * database and answers with the previous sample. Nothing runs while nobody scrapes.
 */
final class ResidencySampler {

    static final long MAX_AGE_NANOS = 10_000_000_000L;

    private static final System.Logger LOG = System.getLogger(ResidencySampler.class.getName());

    /** One sample; {@code bytes} is -1 where {@code mincore} is unavailable (no native access). */
    private record Sample(long bytes, long takenNanos) {
    }

    private final DatabaseRegistry registry;
    private final Map<String, Sample> samples = new ConcurrentHashMap<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();

    ResidencySampler(DatabaseRegistry registry) {
        this.registry = registry;
    }

    /** Resident bytes of {@code database}'s data file as last sampled, or empty where it cannot be measured. */
    OptionalLong residentBytes(String database, Store store, long nowNanos) {
        Sample s = samples.get(database);
        if (s == null) {
            s = sample(store, nowNanos);
            samples.put(database, s);
        } else if (nowNanos - s.takenNanos() > MAX_AGE_NANOS && refreshing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("blitdb-metrics-residency").start(this::refreshStale);
        }
        return s.bytes() < 0 ? OptionalLong.empty() : OptionalLong.of(s.bytes());
    }

    /** Forgets databases no longer listed (dropped ones). */
    void retain(Collection<String> databases) {
        samples.keySet().retainAll(databases);
    }

    private void refreshStale() {
        try {
            long now = System.nanoTime();
            for (String name : samples.keySet()) {
                Sample s = samples.get(name);
                if (s == null || now - s.takenNanos() <= MAX_AGE_NANOS) {
                    continue;
                }
                try (DatabaseLease lease = registry.acquire(name)) {
                    samples.replace(name, sample(lease.store().engine(), System.nanoTime()));
                } catch (RuntimeException unavailable) {
                    samples.remove(name); // closing or gone: sampled again inline when it is back
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "sampling page-cache residency failed", e);
        } finally {
            refreshing.set(false);
        }
    }

    private static Sample sample(Store store, long nowNanos) {
        return new Sample(store.residency().map(PageCacheResidency::residentBytes).orElse(-1L), nowNanos);
    }
}
