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
    /**
     * Index name (lowercased) → its folder's name, for an index whose files are not in the folder its name gives:
     * a replacement that took over keeps the folder it was built in.
     */
    public static final String FOLDERS_TREE = "index-folders";
    /** A changed static index is built as {@code ReplacementOf/<name>} while {@code <name>} keeps answering. */
    public static final String REPLACEMENT_PREFIX = "ReplacementOf/";
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
    /** Set by {@code stop(null)}, cleared by {@code start(null)}: workers started meanwhile start paused. */
    private boolean indexingPaused;
    /** Boosts not yet ended: a worker started meanwhile is boosted by each. */
    private final List<IndexBoost> boosts = new ArrayList<>();

    /** The workers by lowercased name, and in creation order. */
    private record Published(Map<String, IndexWorker> byName, List<IndexWorker> ordered) {
        static final Published EMPTY = new Published(Map.of(), List.of());
    }
    private volatile boolean closed;
    /** Automatic indexes that widen another and have not caught up yet (lowercased names). */
    private final java.util.Set<String> successors = java.util.concurrent.ConcurrentHashMap.newKeySet();

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
            manager.resumeSwaps();
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
        store.addCommitListener(txnId -> manager.wakeAll());
        return manager;
    }

    /**
     * The index definitions stored in {@code store} with the folder of each under {@code indexesRoot}, without
     * starting anything: for tools working on a stopped database (the command-line backup of a data folder).
     */
    public static Map<IndexDefinition, Path> storedIndexes(DocumentStore store, Path indexesRoot) {
        Map<IndexDefinition, Path> out = new LinkedHashMap<>();
        try (ReadTxn txn = store.engine().beginRead()) {
            for (IndexDefinition d : definitions(txn)) {
                var folder = txn.hasTree(FOLDERS_TREE)
                        ? txn.get(FOLDERS_TREE, key(d.name()).getBytes(StandardCharsets.UTF_8)) : null;
                out.put(d, folder != null ? indexesRoot.resolve(new String(folder.toArray(ValueLayout.JAVA_BYTE),
                        StandardCharsets.UTF_8)) : IndexFolders.folder(indexesRoot, d.name()));
            }
        }
        return out;
    }

    private List<IndexDefinition> storedDefinitions() {
        try (ReadTxn txn = store.engine().beginRead()) {
            return definitions(txn);
        }
    }

    /** Every index definition stored in the definitions tree, in key order. */
    private static List<IndexDefinition> definitions(ReadTxn txn) {
        List<IndexDefinition> out = new ArrayList<>();
        if (!txn.hasTree(DEFINITIONS_TREE)) {
            return out;
        }
        Cursor c = txn.cursor(DEFINITIONS_TREE);
        for (c.first(); c.valid(); c.next()) {
            byte[] json = c.value().toArray(ValueLayout.JAVA_BYTE);
            out.addAll(IndexDefinitionJson.parse(json, 0, json.length));
        }
        return out;
    }

    private IndexWorker startWorker(IndexDefinition definition) throws IOException {
        IndexWorker worker = IndexWorker.start(database, store, definition, folderOf(definition.name()), analyzer,
                options, spawner, indexingPaused);
        for (IndexBoost boost : boosts) {
            boost.add(worker);
        }
        workers.put(key(definition.name()), worker);
        publish();
        return worker;
    }

    /** The folder of an index: the one recorded in {@value #FOLDERS_TREE}, else the one its name gives. */
    private Path folderOf(String name) {
        try (ReadTxn txn = store.engine().beginRead()) {
            if (txn.hasTree(FOLDERS_TREE)) {
                var value = txn.get(FOLDERS_TREE, key(name).getBytes(StandardCharsets.UTF_8));
                if (value != null) {
                    return indexesRoot.resolve(new String(value.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
                }
            }
        }
        return IndexFolders.folder(indexesRoot, name);
    }

    /** {@code ReplacementOf/<name>}. */
    public static String replacementName(String name) {
        return REPLACEMENT_PREFIX + name;
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
        join(store.merger().submit(txn -> {
            txn.delete(FOLDERS_TREE, key);
            return txn.delete(DEFINITIONS_TREE, key);
        }));
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
    public enum PutOutcome { CREATED, REBUILT, REPLACING, PRIORITY_CHANGED, UNCHANGED }

    /**
     * Creates or updates indexes. The definitions are checked already ({@link IndexDefinitionJson#parse}); a new
     * one is stored and starts indexing; a priority change applies live. A changed static index is built side by
     * side as {@code ReplacementOf/<name>} while the current version keeps answering queries, and takes its place
     * atomically once it has caught up (putting the current definition again, or deleting the replacement,
     * cancels it). A changed automatic index is rebuilt in place (queries widen automatic indexes under new names,
     * see {@link #retireWhenCaughtUp}).
     */
    public synchronized Map<String, PutOutcome> put(List<IndexDefinition> definitions) throws IOException {
        checkOpen();
        Map<String, PutOutcome> outcomes = new LinkedHashMap<>();
        for (IndexDefinition definition : definitions) {
            IndexWorker existing = workers.get(key(definition.name()));
            IndexWorker pending = workers.get(key(replacementName(definition.name())));
            if (existing != null && existing.definition().sameContentAs(definition)) {
                if (pending != null) {
                    drop(pending); // back to the current definition: the replacement is not wanted any more
                }
                if (existing.definition().priority() == definition.priority()) {
                    outcomes.put(definition.name(), PutOutcome.UNCHANGED);
                    continue;
                }
                persist(definition);
                existing.setPriority(definition.priority());
                outcomes.put(definition.name(), PutOutcome.PRIORITY_CHANGED);
                continue;
            }
            if (existing != null && !definition.isAuto()) {
                IndexDefinition replacement = definition.withName(replacementName(definition.name()));
                if (pending != null && pending.definition().sameContentAs(replacement)) {
                    if (pending.definition().priority() != definition.priority()) {
                        persist(replacement);
                        pending.setPriority(definition.priority());
                    }
                    outcomes.put(definition.name(), PutOutcome.REPLACING);
                    continue;
                }
                if (pending != null) {
                    drop(pending); // changed again while building: build the newest definition instead
                }
                persist(replacement);
                IndexWorker building = startWorker(replacement);
                String name = definition.name();
                CatchUpWatcher.watch(store, building, () -> isCurrent(replacementName(name), building),
                        w -> swapIn(name, w));
                outcomes.put(definition.name(), PutOutcome.REPLACING);
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

    private synchronized boolean isCurrent(String name, IndexWorker worker) {
        return !closed && workers.get(key(name)) == worker;
    }

    private void drop(IndexWorker worker) throws IOException {
        workers.remove(key(worker.definition().name()));
        publish();
        unpersist(worker.definition().name());
        worker.closeAndDelete();
    }

    /**
     * Puts a caught-up replacement in the place of {@code name}: one commit stores its definition under the name
     * (and the folder it was built in), then the map of workers swaps in one step and the old version is closed
     * and deleted. A query that still holds the old version is re-run on the new one by the query executor.
     *
     * @return false when writes arrived since the watcher looked (keep waiting)
     */
    private synchronized boolean swapIn(String name, IndexWorker replacement) {
        if (!isCurrent(replacementName(name), replacement)) {
            return true; // cancelled meanwhile
        }
        try (var reader = store.beginRead()) {
            if (replacement.isStale(reader, reader.lastEtag())) {
                return false;
            }
        }
        IndexWorker old = workers.get(key(name));
        IndexDefinition renamed = replacement.definition().withName(name);
        byte[] nameKey = key(name).getBytes(StandardCharsets.UTF_8);
        byte[] replacementKey = key(replacementName(name)).getBytes(StandardCharsets.UTF_8);
        byte[] json = IndexDefinitionJson.write(renamed);
        byte[] folder = folderOf(replacementName(name)).getFileName().toString().getBytes(StandardCharsets.UTF_8);
        join(store.merger().submit(txn -> {
            txn.put(DEFINITIONS_TREE, nameKey, json);
            txn.delete(DEFINITIONS_TREE, replacementKey);
            txn.put(FOLDERS_TREE, nameKey, folder);
            txn.delete(FOLDERS_TREE, replacementKey);
            return null;
        }));
        replacement.rename(renamed);
        Map<String, IndexWorker> swapped = new LinkedHashMap<>();
        for (var e : workers.entrySet()) {
            if (e.getKey().equals(key(name))) {
                swapped.put(e.getKey(), replacement);
            } else if (!e.getValue().equals(replacement)) {
                swapped.put(e.getKey(), e.getValue());
            }
        }
        if (old == null) {
            swapped.put(key(name), replacement);
        }
        workers.clear();
        workers.putAll(swapped);
        publish();
        LOG.log(System.Logger.Level.INFO, "index " + name + " of database " + database
                + ": the replacement caught up and took over");
        if (old != null) {
            try {
                old.closeAndDelete();
            } catch (IOException | UncheckedIOException e) {
                LOG.log(System.Logger.Level.WARNING, "deleting the replaced version of index " + name + " failed", e);
            }
        }
        return true;
    }

    /**
     * Keeps {@code old} (an automatic index that {@code successor} widens) answering the queries it covers until
     * {@code successor} has caught up, then drops it, so no query it could answer completely is sent to a
     * half-built index.
     */
    public synchronized void retireWhenCaughtUp(String old, String successor) {
        IndexWorker next = require(successor);
        IndexWorker previous = require(old);
        successors.add(key(successor));
        CatchUpWatcher.watch(store, next, () -> isCurrent(successor, next) && isCurrent(old, previous),
                w -> retire(old, previous, successor, next));
    }

    private synchronized boolean retire(String old, IndexWorker previous, String successor, IndexWorker next) {
        if (!isCurrent(old, previous) || !isCurrent(successor, next)) {
            return true;
        }
        try (var reader = store.beginRead()) {
            if (next.isStale(reader, reader.lastEtag())) {
                return false;
            }
        }
        try {
            drop(previous);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        successors.remove(key(successor));
        return true;
    }

    /** Whether {@code name} is an automatic index still catching up to take over from a narrower one. */
    public boolean isPendingSuccessor(String name) {
        return !successors.isEmpty() && successors.contains(key(name)); // queries ask: no lower-casing when none
    }

    /** After a restart: watch replacements still building, and widened automatic indexes still catching up. */
    private void resumeSwaps() {
        for (IndexWorker w : List.copyOf(workers.values())) {
            String name = w.definition().name();
            if (name.regionMatches(true, 0, REPLACEMENT_PREFIX, 0, REPLACEMENT_PREFIX.length())) {
                String target = name.substring(REPLACEMENT_PREFIX.length());
                CatchUpWatcher.watch(store, w, () -> isCurrent(name, w), x -> swapIn(target, x));
            }
        }
        for (IndexDefinition narrow : definitions()) {
            for (IndexDefinition wide : definitions()) {
                if (narrow.isAuto() && wide.isAuto() && narrow != wide
                        && narrow.collection().equalsIgnoreCase(wide.collection())
                        && wide.fields().keySet().containsAll(narrow.fields().keySet())
                        && !successors.contains(key(wide.name()))) {
                    retireWhenCaughtUp(narrow.name(), wide.name());
                }
            }
        }
    }

    /**
     * Drops an index: stops its worker, deletes its files and its definition, and its replacement if one is being
     * built. Dropping {@code ReplacementOf/<name>} cancels the replacement; {@code <name>} stays as it is.
     */
    public synchronized void delete(String name) throws IOException {
        IndexWorker worker = require(name);
        IndexWorker pending = workers.get(key(replacementName(worker.definition().name())));
        drop(worker);
        if (pending != null) {
            drop(pending);
        }
    }

    /** Empties an index so it rebuilds from the first document. */
    public synchronized void reset(String name) {
        require(name).reset();
    }

    /**
     * Pauses one index, or all when {@code name} is null; pausing all also pauses the database's indexing, so an
     * index created or replaced before {@code start(null)} starts paused too. Not persisted: a restart starts
     * every index.
     */
    public synchronized void stop(String name) {
        List<IndexWorker> targets = selected(name);
        if (name == null) {
            indexingPaused = true;
        }
        for (IndexWorker worker : targets) {
            worker.pause();
        }
    }

    /** Resumes one index, or all (and the database's indexing) when {@code name} is null. */
    public synchronized void start(String name) {
        List<IndexWorker> targets = selected(name);
        if (name == null) {
            indexingPaused = false;
        }
        for (IndexWorker worker : targets) {
            worker.resume();
        }
    }

    /**
     * Lifts the database's {@code Normal} indexes — those there now and those created until the boost ends — to
     * {@code High} for a bulk load the user waits to query (an import); see {@link IndexBoost}.
     */
    public synchronized IndexBoost boost() {
        checkOpen();
        IndexBoost boost = new IndexBoost(this);
        boosts.add(boost);
        for (IndexWorker worker : workers.values()) {
            boost.add(worker);
        }
        return boost;
    }

    synchronized void endBoost(IndexBoost boost, long etag) {
        boosts.remove(boost);
        for (IndexWorker worker : boost.end()) {
            worker.releaseBoostWhenCaughtUp(etag);
        }
    }

    /** Whether the database's indexing is paused ({@code stop(null)}): new indexes start paused. */
    public synchronized boolean isIndexingPaused() {
        return indexingPaused;
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
