package dev.blitdb.indexing.manager;

import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexDefinitionJson;
import dev.blitdb.indexing.definition.IndexPriority;
import dev.blitdb.indexing.worker.IndexStats;
import dev.blitdb.indexing.worker.IndexWorker;
import dev.blitdb.indexing.worker.IndexingOptions;
import dev.blitdb.indexing.worker.ThreadSpawner;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.engine.Cursor;
import dev.blitdb.storage.engine.ReadTxn;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * A database's indexes: their definitions, kept in the database's own store (tree {@value #DEFINITIONS_TREE},
 * so they survive restarts and commit with the data), and one {@link IndexWorker} each. Commits of the database
 * wake every worker. Changing an index's fields rebuilds it from scratch; changing only its priority does not.
 * Index names are case-insensitive. Admin calls (create, update, reset, drop, stop/start, priority) are
 * serialised by this object's lock and may hold it for a second or more (a running batch, a synced commit);
 * lookups ({@link #require}, {@link #find}, {@link #definitions}, {@link #workers}) never take it: they read an
 * immutable snapshot of the workers that admin calls replace atomically, so a query never waits on the
 * administration of another index.
 */
public final class IndexManager implements AutoCloseable {

    public static final String DEFINITIONS_TREE = "index-definitions";
    private static final System.Logger LOG = System.getLogger(IndexManager.class.getName());

    private final String database;
    private final DocumentStore store;
    private final Path indexesRoot;
    private final ThreadSpawner spawner;
    private final IndexingOptions options;
    private final Analyzer analyzer = new StandardAnalyzer();
    /** Written under the lock only; each change builds a new copy (see {@link #publish}). */
    private final Map<String, IndexWorker> workers = new LinkedHashMap<>();
    /**
     * Immutable copy of {@link #workers}, read without the lock by queries, lookups and commit wake-ups (the
     * merger's thread must never wait for it either).
     */
    private volatile Published published = Published.EMPTY;

    /** The workers by lowercased name, and in creation order. */
    private record Published(Map<String, IndexWorker> byName, List<IndexWorker> ordered) {
        static final Published EMPTY = new Published(Map.of(), List.of());
    }
    private volatile boolean closed;

    private IndexManager(String database, DocumentStore store, Path indexesRoot, ThreadSpawner spawner,
                         IndexingOptions options) {
        this.database = database;
        this.store = store;
        this.indexesRoot = indexesRoot;
        this.spawner = spawner;
        this.options = options;
    }

    /**
     * Loads the database's index definitions and starts their workers.
     *
     * @param indexesRoot the folder for the indexes' Lucene files, e.g. {@code {database folder}/indexes}
     */
    public static IndexManager open(String database, DocumentStore store, Path indexesRoot, ThreadSpawner spawner,
                                    IndexingOptions options) throws IOException {
        IndexManager manager = new IndexManager(database, store, indexesRoot, spawner, options);
        try {
            for (IndexDefinition definition : manager.storedDefinitions()) {
                manager.startWorker(definition);
            }
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
        store.addCommitListener(txnId -> manager.wakeAll());
        return manager;
    }

    private List<IndexDefinition> storedDefinitions() {
        List<IndexDefinition> out = new ArrayList<>();
        try (ReadTxn txn = store.engine().beginRead()) {
            if (!txn.hasTree(DEFINITIONS_TREE)) {
                return out;
            }
            Cursor c = txn.cursor(DEFINITIONS_TREE);
            for (c.first(); c.valid(); c.next()) {
                byte[] json = c.value().toArray(ValueLayout.JAVA_BYTE);
                out.addAll(IndexDefinitionJson.parse(json, 0, json.length));
            }
        }
        return out;
    }

    private void startWorker(IndexDefinition definition) throws IOException {
        Path folder = IndexFolders.folder(indexesRoot, definition.name());
        workers.put(key(definition.name()), IndexWorker.start(database, store, definition, folder, analyzer, options,
                spawner));
        publish();
    }

    /** Makes the current workers visible to lock-free readers; called under the lock after every change. */
    private void publish() {
        published = new Published(Map.copyOf(workers), List.copyOf(workers.values()));
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private void persist(IndexDefinition definition) {
        byte[] key = key(definition.name()).getBytes(StandardCharsets.UTF_8);
        byte[] json = IndexDefinitionJson.write(definition);
        join(store.merger().submit(txn -> {
            txn.put(DEFINITIONS_TREE, key, json);
            return null;
        }));
    }

    private void unpersist(String name) {
        byte[] key = key(name).getBytes(StandardCharsets.UTF_8);
        join(store.merger().submit(txn -> txn.delete(DEFINITIONS_TREE, key)));
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** What {@link #put} did with one definition. */
    public enum PutOutcome { CREATED, REBUILT, PRIORITY_CHANGED, UNCHANGED }

    /**
     * Creates or updates indexes. The definitions are checked already ({@link IndexDefinitionJson#parse}); a new
     * one is stored and starts indexing, a changed one is rebuilt from scratch, a priority change applies live.
     */
    public synchronized Map<String, PutOutcome> put(List<IndexDefinition> definitions) throws IOException {
        checkOpen();
        Map<String, PutOutcome> outcomes = new LinkedHashMap<>();
        for (IndexDefinition definition : definitions) {
            IndexWorker existing = workers.get(key(definition.name()));
            if (existing != null && existing.definition().sameContentAs(definition)) {
                if (existing.definition().priority() == definition.priority()) {
                    outcomes.put(definition.name(), PutOutcome.UNCHANGED);
                    continue;
                }
                persist(definition);
                existing.setPriority(definition.priority());
                outcomes.put(definition.name(), PutOutcome.PRIORITY_CHANGED);
                continue;
            }
            if (existing != null) {
                // Not published until the new worker is: queries keep finding the index (and retry on the new
                // worker if they catch the old one closing) instead of answering 404 meanwhile.
                workers.remove(key(definition.name()));
                existing.closeAndDelete();
            }
            try {
                persist(definition);
                startWorker(definition);
            } finally {
                publish(); // a failed rebuild must not leave the closed worker findable
            }
            outcomes.put(definition.name(), existing == null ? PutOutcome.CREATED : PutOutcome.REBUILT);
        }
        return outcomes;
    }

    /** Drops an index: stops its worker, deletes its files and its definition. */
    public synchronized void delete(String name) throws IOException {
        IndexWorker worker = require(name);
        workers.remove(key(name));
        publish();
        unpersist(worker.definition().name());
        worker.closeAndDelete();
    }

    /** Empties an index so it rebuilds from the first document. */
    public synchronized void reset(String name) {
        require(name).reset();
    }

    /** Pauses one index, or all when {@code name} is null. Not persisted: a restart starts every index. */
    public synchronized void stop(String name) {
        for (IndexWorker worker : selected(name)) {
            worker.pause();
        }
    }

    public synchronized void start(String name) {
        for (IndexWorker worker : selected(name)) {
            worker.resume();
        }
    }

    /** Sets the priority of the named indexes live and persists it; all names are checked before any changes. */
    public synchronized void setPriority(List<String> names, IndexPriority priority) {
        List<IndexWorker> targets = new ArrayList<>();
        for (String name : names) {
            targets.add(require(name));
        }
        for (IndexWorker worker : targets) {
            IndexDefinition changed = worker.definition().withPriority(priority);
            persist(changed);
            worker.setPriority(priority);
        }
    }

    private List<IndexWorker> selected(String name) {
        checkOpen();
        return name == null ? List.copyOf(workers.values()) : List.of(require(name));
    }

    /** The worker of an index, or {@link IndexNotFoundException}. Lock-free: never waits on administration. */
    public IndexWorker require(String name) {
        checkOpen();
        IndexWorker worker = published.byName().get(key(name));
        if (worker == null) {
            throw new IndexNotFoundException(database, name);
        }
        return worker;
    }

    /** Lock-free, like {@link #require}. */
    public Optional<IndexWorker> find(String name) {
        return Optional.ofNullable(published.byName().get(key(name)));
    }

    /** The definitions as of the latest change, in creation order. Lock-free. */
    public List<IndexDefinition> definitions() {
        return published.ordered().stream().map(IndexWorker::definition).toList();
    }

    /** The workers as of the latest change, in creation order. Lock-free. */
    public List<IndexWorker> workers() {
        return published.ordered();
    }

    public List<IndexStats> stats() {
        return workers().stream().map(IndexWorker::stats).toList();
    }

    public String database() {
        return database;
    }

    public DocumentStore store() {
        return store;
    }

    public Analyzer analyzer() {
        return analyzer;
    }

    private void wakeAll() {
        if (closed) {
            return;
        }
        for (IndexWorker worker : published.ordered()) {
            worker.wake();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the indexes of database '" + database + "' are closed");
        }
    }

    /** Stops every worker after its current batch and closes the indexes. */
    @Override
    public synchronized void close() {
        closed = true;
        for (IndexWorker worker : workers.values()) {
            try {
                worker.close();
            } catch (IOException | UncheckedIOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing index " + worker.definition().name() + " failed", e);
            }
        }
        workers.clear();
        publish();
    }
}
