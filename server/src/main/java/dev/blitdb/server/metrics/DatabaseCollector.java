package dev.blitdb.server.metrics;

import dev.blitdb.indexing.worker.IndexProgress;
import dev.blitdb.indexing.worker.IndexState;
import dev.blitdb.indexing.worker.IndexStats;
import dev.blitdb.indexing.worker.IndexWorker;
import dev.blitdb.server.databases.Database;
import dev.blitdb.server.databases.DatabaseLease;
import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.indexes.IndexService;
import dev.blitdb.storage.documents.DatabaseStats;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.engine.StoreStats;
import dev.blitdb.storage.merger.MergerStats;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything about databases and indexes, read at scrape time from the numbers the store, merger and index
 * workers keep anyway. Per database: one read transaction for its store figures and one shared by all its
 * indexes; page-cache residency comes from the {@link ResidencySampler} (not a {@code mincore} per scrape). The
 * label sets of each database and index are built once and reused by every scrape. A database that is not online
 * reports only {@code blitdb_database_online 0}.
 */
final class DatabaseCollector implements MultiCollector {

    private static final String[] DB = {"database"};
    private static final String[] DB_INDEX = {"database", "index"};
    private static final String[] DB_INDEX_STATE = {"database", "index", "state"};
    private static final IndexState[] STATES = IndexState.values();

    private final DatabaseRegistry registry;
    private final ResidencySampler residency;
    private final Map<String, DatabaseLabels> labels = new ConcurrentHashMap<>();

    DatabaseCollector(DatabaseRegistry registry) {
        this.registry = registry;
        this.residency = new ResidencySampler(registry);
    }

    /** The label sets of one database and its indexes, kept across scrapes (dropped with the database). */
    private static final class DatabaseLabels {
        final String name;
        final Labels database;
        final Map<String, IndexLabels> indexes = new ConcurrentHashMap<>();

        DatabaseLabels(String name) {
            this.name = name;
            this.database = Labels.of(DB, new String[] {name});
        }

        IndexLabels index(String index) {
            return indexes.computeIfAbsent(index, i -> new IndexLabels(name, i));
        }
    }

    /** An index's label set, and one per state for {@code blitdb_index_state}. */
    private static final class IndexLabels {
        final Labels index;
        final Labels[] byState = new Labels[STATES.length];

        IndexLabels(String database, String index) {
            this.index = Labels.of(DB_INDEX, new String[] {database, index});
            for (IndexState s : STATES) {
                byState[s.ordinal()] = Labels.of(DB_INDEX_STATE, new String[] {database, index, s.wireName()});
            }
        }
    }

    @Override
    public MetricSnapshots collect() {
        var online = new SnapshotFamilies.Gauge("blitdb_database_online", "1 while the database serves requests, "
                + "0 while it loads, failed or closes", null);
        var documents = new SnapshotFamilies.Gauge("blitdb_database_documents", "Live documents", null);
        var tombstones = new SnapshotFamilies.Gauge("blitdb_database_tombstones", "Tombstones kept for indexes", null);
        var lastEtag = new SnapshotFamilies.Gauge("blitdb_database_last_etag", "Highest etag given out", null);
        var fileBytes = new SnapshotFamilies.Gauge("blitdb_store_file_bytes", "Size of the data file", Unit.BYTES);
        var usedPages = new SnapshotFamilies.Gauge("blitdb_store_used_pages",
                "Pages below the high-water mark (ever used)", null);
        var freePages = new SnapshotFamilies.Gauge("blitdb_store_free_pages", "Pages reusable now", null);
        var pendingPages = new SnapshotFamilies.Gauge("blitdb_store_pending_pages",
                "Pages freed by commits, still visible to an open reader", null);
        var readers = new SnapshotFamilies.Gauge("blitdb_store_open_readers", "Read transactions open now", null);
        var oldestReader = new SnapshotFamilies.Gauge("blitdb_store_oldest_reader_age_seconds",
                "Age of the oldest snapshot an open read transaction holds (0 when none)", Unit.SECONDS);
        var resident = new SnapshotFamilies.Gauge("blitdb_store_page_cache_resident_bytes",
                "Bytes of the data file in the page cache (mincore)", Unit.BYTES);
        var queueDepth = new SnapshotFamilies.Gauge("blitdb_merger_queue_depth",
                "Writes queued for the transaction merger", null);
        var commits = new SnapshotFamilies.Counter("blitdb_merger_commits", "Transactions committed", null);
        var writes = new SnapshotFamilies.Counter("blitdb_merger_writes", "Writes committed", null);
        var rejected = new SnapshotFamilies.Counter("blitdb_merger_rejected_writes",
                "Writes that failed alone (their own error)", null);

        var entries = new SnapshotFamilies.Gauge("blitdb_index_entries", "Entries in the index", null);
        var lagDocs = new SnapshotFamilies.Gauge("blitdb_index_lag_documents",
                "Documents of the collection whose current version is not indexed yet", null);
        var lagEtags = new SnapshotFamilies.Gauge("blitdb_index_lag_etags",
                "Newest etag of the collection minus the index's position", null);
        var rate = new SnapshotFamilies.Gauge("blitdb_index_documents_per_second",
                "Documents indexed per second over the last ten seconds", null);
        var progress = new SnapshotFamilies.Gauge("blitdb_index_progress_ratio",
                "Share of the collection whose current version is indexed", Unit.RATIO);
        var nice = new SnapshotFamilies.Gauge("blitdb_index_nice",
                "Effective nice value of the index's worker thread, read back from the OS", null);
        var stale = new SnapshotFamilies.Gauge("blitdb_index_stale", "1 while the index is behind its collection", null);
        var lastBatch = new SnapshotFamilies.Gauge("blitdb_index_last_batch_duration_seconds",
                "Duration of the index's last batch that did work", Unit.SECONDS);
        var indexed = new SnapshotFamilies.Counter("blitdb_index_documents_indexed",
                "Documents indexed since the server started", null);
        var errors = new SnapshotFamilies.Counter("blitdb_index_errors",
                "Documents the index skipped because their values did not fit", null);
        var state = new SnapshotFamilies.Gauge("blitdb_index_state",
                "1, labelled with what the index is doing now (Idle, Indexing, Paused, Faulty, Closed)", null);

        long now = System.nanoTime();
        List<Database> databases = registry.list();
        List<String> names = new ArrayList<>(databases.size());
        for (Database database : databases) {
            String name = database.name().value();
            names.add(name);
            DatabaseLabels dbLabels = labels.computeIfAbsent(name, DatabaseLabels::new);
            Labels db = dbLabels.database;
            Optional<DatabaseLease> lease = lease(name);
            online.add(db, lease.isPresent() ? 1 : 0);
            if (lease.isEmpty()) {
                continue;
            }
            try (DatabaseLease l = lease.get()) {
                DocumentStore store = l.store();
                DatabaseStats s = store.stats();
                StoreStats engine = store.engine().stats();
                MergerStats merger = store.merger().stats();
                documents.add(db, s.documents());
                tombstones.add(db, s.tombstones());
                lastEtag.add(db, s.lastEtag());
                fileBytes.add(db, s.fileBytes());
                usedPages.add(db, s.usedPages());
                freePages.add(db, s.freePages());
                pendingPages.add(db, s.pendingPages());
                readers.add(db, engine.openReaders());
                oldestReader.add(db, store.engine().oldestReaderSnapshotAgeNanos() / 1e9);
                residency.residentBytes(name, store.engine(), now).ifPresent(b -> resident.add(db, b));
                queueDepth.add(db, store.merger().queueDepth());
                commits.add(db, merger.commits());
                writes.add(db, merger.operations());
                rejected.add(db, merger.rejected());
                List<IndexWorker> workers = l.database().service(IndexService.class)
                        .map(i -> i.indexes().workers()).orElse(List.of());
                if (workers.isEmpty()) {
                    dbLabels.indexes.clear();
                    continue;
                }
                try (DocumentReader reader = store.beginRead()) {
                    for (IndexWorker worker : workers) {
                        IndexStats is = worker.stats(reader, false);
                        IndexProgress p = worker.progress(reader);
                        IndexLabels il = dbLabels.index(is.name());
                        Labels idx = il.index;
                        entries.add(idx, is.entries());
                        lagDocs.add(idx, p.lagDocuments());
                        lagEtags.add(idx, p.lagEtags());
                        rate.add(idx, p.documentsPerSecond());
                        progress.add(idx, p.percent() / 100);
                        if (is.effectiveNice() != null) {
                            nice.add(idx, is.effectiveNice());
                        }
                        stale.add(idx, is.stale() ? 1 : 0);
                        lastBatch.add(idx, p.lastBatchNanos() / 1e9);
                        indexed.add(idx, is.documentsIndexed());
                        errors.add(idx, is.errors());
                        state.add(il.byState[is.state().ordinal()], 1);
                    }
                }
                if (dbLabels.indexes.size() > workers.size()) { // an index was dropped: forget its labels
                    dbLabels.indexes.keySet().retainAll(workers.stream().map(w -> w.definition().name()).toList());
                }
            }
        }
        labels.keySet().retainAll(names);
        residency.retain(names);
        return SnapshotFamilies.snapshots(online, documents, tombstones, lastEtag, fileBytes, usedPages, freePages,
                pendingPages, readers, oldestReader, resident, queueDepth, commits, writes, rejected, entries, lagDocs,
                lagEtags, rate, progress, nice, stale, lastBatch, indexed, errors, state);
    }

    /** A lease on an online database, or empty when it is loading, failed, closing or gone since the listing. */
    private Optional<DatabaseLease> lease(String name) {
        try {
            return Optional.of(registry.acquire(name));
        } catch (RuntimeException unavailable) {
            return Optional.empty();
        }
    }
}
