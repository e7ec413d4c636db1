package dev.blitdb.server.metrics;

import dev.blitdb.server.databases.Database;
import dev.blitdb.server.databases.DatabaseService;
import dev.blitdb.storage.engine.CommitObserver;
import dev.blitdb.storage.merger.MergerObserver;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The per-commit histograms of every database: commit and sync latency, writes per commit, bytes written. These
 * are observed on each database's writer thread after a commit (never on a read path); a database's label values
 * are dropped when it closes, so a dropped database leaves no series behind.
 */
final class CommitMetrics {

    private static final double[] LATENCY = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
            0.25, 0.5, 1, 2.5};
    private static final double[] WRITES = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096};

    private final Histogram commitSeconds;
    private final Histogram syncSeconds;
    private final Histogram writesPerCommit;
    private final Counter bytesWritten;

    CommitMetrics(PrometheusRegistry registry) {
        commitSeconds = Histogram.builder().name("blitdb_commit_duration_seconds")
                .help("Duration of each commit: checksums, sync, publishing the new snapshot")
                .unit(Unit.SECONDS).labelNames("database").classicOnly().classicUpperBounds(LATENCY)
                .withoutExemplars().register(registry);
        syncSeconds = Histogram.builder().name("blitdb_commit_sync_duration_seconds")
                .help("Time each commit spent in msync (0 when the store does not sync)")
                .unit(Unit.SECONDS).labelNames("database").classicOnly().classicUpperBounds(LATENCY)
                .withoutExemplars().register(registry);
        writesPerCommit = Histogram.builder().name("blitdb_commit_writes")
                .help("Writes made durable by each commit (group commit at work)")
                .labelNames("database").classicOnly().classicUpperBounds(WRITES)
                .withoutExemplars().register(registry);
        bytesWritten = Counter.builder().name("blitdb_commit_written_bytes")
                .help("Bytes of the dirty page ranges and meta pages that commits wrote")
                .unit(Unit.BYTES).labelNames("database").withoutExemplars().register(registry);
    }

    /** The service that hooks a database's store and merger while it is open. */
    DatabaseService.Factory factory() {
        return this::attach;
    }

    private DatabaseService attach(Database database) {
        String name = database.name().value();
        DistributionDataPoint commit = commitSeconds.labelValues(name);
        DistributionDataPoint sync = syncSeconds.labelValues(name);
        DistributionDataPoint writes = writesPerCommit.labelValues(name);
        CounterDataPoint bytes = bytesWritten.labelValues(name);
        var store = database.store();
        store.engine().observeCommits((written, syncNanos) -> {
            bytes.inc(written);
            sync.observe(syncNanos / 1e9);
        });
        store.merger().observe((operations, nanos) -> {
            writes.observe(operations);
            commit.observe(nanos / 1e9);
        });
        return () -> {
            store.engine().observeCommits(CommitObserver.NONE);
            store.merger().observe(MergerObserver.NONE);
            commitSeconds.remove(name);
            syncSeconds.remove(name);
            writesPerCommit.remove(name);
            bytesWritten.remove(name);
        };
    }
}
