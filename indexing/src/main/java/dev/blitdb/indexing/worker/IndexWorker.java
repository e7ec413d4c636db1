package dev.blitdb.indexing.worker;

import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexPriority;
import dev.blitdb.indexing.lucene.BlitEntryReader;
import dev.blitdb.indexing.lucene.IndexEntryBuilder;
import dev.blitdb.indexing.lucene.IndexValueException;
import dev.blitdb.indexing.lucene.LuceneIndex;
import dev.blitdb.indexing.lucene.LuceneIndex.Progress;
import dev.blitdb.storage.documents.DocumentIterator;
import dev.blitdb.storage.documents.DocumentReader;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.StoredDocument;
import dev.blitdb.storage.documents.Tombstone;
import org.apache.lucene.analysis.Analyzer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps one index up to date with its collection, on its own {@link PrioritizedLoop} thread. One unit of work:
 * open a read transaction → walk the collection in etag order from the last indexed etag → advise the kernel
 * of the documents ahead → read the fields straight from the mapped blittable documents → update Lucene by
 * document id → apply the collection's deletes → commit with the new progress in the commit data → refresh
 * searchers → wake queries waiting for a non-stale index.
 *
 * <p>A document whose values do not fit the index (a string in a {@code Long} field) is recorded in
 * {@link #errors()}, its old entry removed, and skipped. A failing batch (disk, Lucene) makes the index
 * {@link IndexState#FAULTY}; the loop retries it after a short pause.
 */
public final class IndexWorker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(IndexWorker.class.getName());

    private final String database;
    private final DocumentStore store;
    private final IndexingOptions options;
    private final LuceneIndex lucene;
    private final PrioritizedLoop loop;
    private final IndexErrors errors = new IndexErrors();
    private final Object progressSignal = new Object();
    private volatile IndexDefinition definition;

    // Used only by the thread running the loop (one at a time; a handoff joins the previous thread first).
    private final BlitEntryReader entries;
    private final StoredDocument document = new StoredDocument();
    private final BlitDocument blit = new BlitDocument();

    private volatile long caughtUpEtag;
    /**
     * Deletes are kept in one etag-ordered tree for all collections; this is how far it has been scanned for this
     * collection's, so deletes in other collections are not rescanned on every wake-up. In memory only: after a
     * restart the scan starts from the last applied delete, which is correct, just slower once.
     */
    private volatile long tombstonesScannedTo;
    /**
     * While building from an empty index, documents with etags up to this one cannot have an entry yet (the
     * collection's etag order holds each document once), so they are added without the delete-by-id that an
     * update costs. Documents written after the build began are updated as usual.
     */
    private long addOnlyUpToEtag;
    /** Resets asked for and done; the index counts as stale while they differ. */
    private final java.util.concurrent.atomic.AtomicInteger resetsRequested = new java.util.concurrent.atomic.AtomicInteger();
    private volatile int resetsDone;
    private volatile IndexState state = IndexState.IDLE;
    private volatile String lastFailure;
    private final AtomicLong documentsIndexed = new AtomicLong();
    private final AtomicLong tombstonesApplied = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong indexingNanos = new AtomicLong();
    private final AtomicLong documentNanos = new AtomicLong();
    private final AtomicLong prefetchCalls = new AtomicLong();
    private final AtomicLong prefetchedDocuments = new AtomicLong();
    private final ThroughputWindow throughput = new ThroughputWindow();

    private IndexWorker(String database, DocumentStore store, IndexDefinition definition, IndexingOptions options,
                        LuceneIndex lucene, ThreadSpawner spawner) {
        this.database = database;
        this.store = store;
        this.definition = definition;
        this.options = options;
        this.lucene = lucene;
        this.entries = new BlitEntryReader(definition);
        this.loop = new PrioritizedLoop(threadName(database, definition.name()), definition.priority(),
                this::runBatch, this::failed, spawner);
    }

    /** The worker thread's name: {@code index/{db}/{name}}. */
    public static String threadName(String database, String index) {
        return "index/" + database + "/" + index;
    }

    /** Opens the Lucene index in {@code folder} and starts the worker thread. */
    public static IndexWorker start(String database, DocumentStore store, IndexDefinition definition, Path folder,
                                    Analyzer analyzer, IndexingOptions options, ThreadSpawner spawner)
            throws IOException {
        LuceneIndex lucene = LuceneIndex.open(folder, definition, analyzer);
        IndexWorker worker = new IndexWorker(database, store, definition, options, lucene, spawner);
        worker.loop.start();
        return worker;
    }

    public IndexDefinition definition() {
        return definition;
    }

    public LuceneIndex lucene() {
        return lucene;
    }

    public IndexErrors errors() {
        return errors;
    }

    /** Look for work now (a commit touched the database). */
    public void wake() {
        loop.wake();
    }

    /** One unit of work; returns whether more is waiting right away. */
    private boolean runBatch() throws IOException {
        int resets = resetsRequested.get();
        if (resets != resetsDone) {
            lucene.reset();
            errors.clear();
            caughtUpEtag = 0;
            addOnlyUpToEtag = 0;
            tombstonesScannedTo = 0;
            throughput.clear();
            resetsDone = resets; // only now may queries trust the (empty) progress
        }
        IndexDefinition def = definition;
        long started = System.nanoTime();
        if (lucene.progress().equals(Progress.START) && lucene.entries() == 0) {
            try (DocumentReader reader = store.beginRead()) {
                addOnlyUpToEtag = reader.lastEtag();
            }
        }
        long deadline = started + options.batchTime().toNanos();
        Progress from = lucene.progress();
        try (DocumentReader reader = store.beginRead()) {
            long snapshotEtag = reader.lastEtag();
            long lastDocument = from.lastDocumentEtag();
            int indexed = 0;
            DocumentIterator it = reader.collection(def.collection(), from.lastDocumentEtag() + 1);
            prefetch(it);
            boolean moreDocuments = false;
            while (true) {
                if (indexed == options.batchDocuments() || (indexed & 31) == 31 && System.nanoTime() > deadline) {
                    moreDocuments = true;
                    break;
                }
                if (!it.next(document)) {
                    break;
                }
                if (indexed == 0) {
                    state = IndexState.INDEXING;
                }
                indexed++;
                if (indexed % options.prefetchDocuments() == 0) {
                    prefetch(it); // the next stretch, while this one is read
                }
                indexDocument();
                lastDocument = document.etag();
            }
            long documentsDone = System.nanoTime();

            long lastTombstone = from.lastTombstoneEtag();
            List<Tombstone> tombstones = reader.tombstones(Math.max(lastTombstone, tombstonesScannedTo) + 1,
                    def.collection(), options.tombstoneBatch());
            for (Tombstone t : tombstones) {
                // A later put of the same id outranks this delete: its entry is (or will be) indexed.
                if (!(reader.get(t.id(), document) && document.etag() > t.etag())) {
                    lucene.delete(IndexEntryBuilder.lowerId(t.id()));
                }
                lastTombstone = t.etag();
            }
            boolean moreTombstones = tombstones.size() == options.tombstoneBatch();

            if (indexed > 0 || !tombstones.isEmpty()) {
                lucene.commit(new Progress(lastDocument, lastTombstone));
                batches.incrementAndGet();
                documentsIndexed.addAndGet(indexed);
                tombstonesApplied.addAndGet(tombstones.size());
                documentNanos.addAndGet(documentsDone - started);
                long ended = System.nanoTime();
                indexingNanos.addAndGet(ended - started);
                throughput.record(started, ended, indexed);
            }
            // Only after the commit and refresh: a query that trusts these positions must see the entries.
            tombstonesScannedTo = moreTombstones ? lastTombstone : Math.max(tombstonesScannedTo, snapshotEtag);
            boolean more = moreDocuments || moreTombstones;
            if (!more) {
                caughtUpEtag = snapshotEtag; // everything of the collection up to the snapshot is in
            }
            state = more ? IndexState.INDEXING : IndexState.IDLE;
            lastFailure = null;
            synchronized (progressSignal) {
                progressSignal.notifyAll();
            }
            return more;
        }
    }

    private void indexDocument() throws IOException {
        String id = document.id();
        try {
            var entry = entries.read(id, document.document(blit));
            if (document.etag() <= addOnlyUpToEtag) {
                lucene.add(entry);
            } else {
                lucene.update(IndexEntryBuilder.lowerId(id), entry);
            }
        } catch (IndexValueException e) {
            errors.record(id, document.etag(), e.getMessage());
            lucene.delete(IndexEntryBuilder.lowerId(id)); // an older version must not answer queries
        }
    }

    private void prefetch(DocumentIterator it) {
        if (!options.prefetch()) {
            return;
        }
        int advised = it.prefetchNext(options.prefetchDocuments());
        if (advised > 0) {
            prefetchCalls.incrementAndGet();
            prefetchedDocuments.addAndGet(advised);
        }
    }

    private void failed(Throwable failure) {
        state = IndexState.FAULTY;
        lastFailure = failure.toString();
        LOG.log(Level.WARNING, "index " + definition.name() + " of database " + database
                + ": batch failed, retrying shortly", failure);
    }

    /**
     * Whether the index is behind the database as it was at {@code asOfEtag}: documents or deletes of its
     * collection with etags up to there that it has not processed.
     */
    public boolean isStale(DocumentReader reader, long asOfEtag) {
        if (resetsRequested.get() != resetsDone) {
            return true; // about to empty the index: everything is ahead of it
        }
        if (caughtUpEtag >= asOfEtag) {
            return false;
        }
        Progress p = lucene.progress();
        StoredDocument next = new StoredDocument();
        if (reader.collection(definition.collection(), p.lastDocumentEtag() + 1).next(next) && next.etag() <= asOfEtag) {
            return true;
        }
        List<Tombstone> deletes = reader.tombstones(Math.max(p.lastTombstoneEtag(), tombstonesScannedTo) + 1,
                definition.collection(), 1);
        return !deletes.isEmpty() && deletes.getFirst().etag() <= asOfEtag;
    }

    /**
     * Waits until the index has processed everything up to {@code asOfEtag}, or the timeout passes.
     *
     * @return true when not stale; false on time-out (the caller answers with what is indexed, marked stale)
     */
    public boolean awaitNonStale(long asOfEtag, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            try (DocumentReader reader = store.beginRead()) {
                if (!isStale(reader, asOfEtag)) {
                    return true;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            loop.wake();
            synchronized (progressSignal) {
                progressSignal.wait(Math.max(1, Math.min(left / 1_000_000, 50)));
            }
        }
    }

    /** Why the index is stale right now, one sentence per reason; empty when it is up to date. */
    public List<String> stalenessReasons() {
        var reasons = new java.util.ArrayList<String>();
        if (loop.isPaused()) {
            reasons.add("The index is paused; it indexes nothing until started again.");
        }
        if (state == IndexState.FAULTY) {
            reasons.add("The last batch failed (" + lastFailure + "); the index retries.");
        }
        Progress p = lucene.progress();
        try (DocumentReader reader = store.beginRead()) {
            long now = reader.lastEtag();
            if (caughtUpEtag >= now) {
                return reasons;
            }
            int cap = 10_000;
            int pending = 0;
            long firstEtag = 0;
            StoredDocument d = new StoredDocument();
            DocumentIterator it = reader.collection(definition.collection(), p.lastDocumentEtag() + 1);
            while (pending < cap && it.next(d)) {
                if (pending++ == 0) {
                    firstEtag = d.etag();
                }
            }
            if (pending > 0) {
                reasons.add((pending == cap ? "At least " : "") + pending + " document(s) of collection '"
                        + definition.collection() + "' are not indexed yet: the index has processed up to etag "
                        + p.lastDocumentEtag() + ", the next is etag " + firstEtag + ", the database is at etag "
                        + now + ".");
            }
            List<Tombstone> deletes = reader.tombstones(p.lastTombstoneEtag() + 1, definition.collection(), cap);
            if (!deletes.isEmpty()) {
                reasons.add((deletes.size() == cap ? "At least " : "") + deletes.size() + " delete(s) in collection '"
                        + definition.collection() + "' are not applied yet: the index has applied deletes up to etag "
                        + p.lastTombstoneEtag() + ", the next is etag " + deletes.getFirst().etag() + ".");
            }
        }
        return reasons;
    }

    /**
     * Takes another name with the same content (a replacement becoming the index it replaces). The thread keeps its
     * name; the caller persists the definition.
     */
    public void rename(IndexDefinition renamed) {
        if (!renamed.withName(definition.name()).sameContentAs(definition)) {
            throw new IllegalArgumentException("rename must keep the content of index " + definition.name());
        }
        definition = renamed.withPriority(definition.priority());
    }

    /** Changes the priority live and keeps the definition in step (the caller persists it). */
    public void setPriority(IndexPriority priority) {
        definition = definition.withPriority(priority);
        loop.setPriority(priority);
    }

    public void pause() {
        loop.pause();
        state = IndexState.PAUSED;
    }

    public void resume() {
        loop.resume();
        state = IndexState.IDLE;
    }

    public boolean isPaused() {
        return loop.isPaused();
    }

    /** Empties the index; the worker rebuilds it from the first document. */
    public void reset() {
        resetsRequested.incrementAndGet();
        loop.wake();
    }

    public IndexStats stats() {
        IndexDefinition def = definition;
        Progress p = lucene.progress();
        long docNanos = documentNanos.get();
        double perSecond = docNanos == 0 ? 0 : documentsIndexed.get() / (docNanos / 1e9);
        boolean stale;
        try (DocumentReader reader = store.beginRead()) {
            stale = isStale(reader, reader.lastEtag());
        }
        IndexState shown = loop.isPaused() ? IndexState.PAUSED : state;
        return new IndexStats(def.name(), def.collection(), def.priority(), loop.effectiveNice().orElse(null),
                loop.threadId().isPresent() ? loop.threadId().getAsInt() : null, threadName(database, def.name()),
                shown, lucene.entries(), p.lastDocumentEtag(), p.lastTombstoneEtag(), documentsIndexed.get(),
                tombstonesApplied.get(), perSecond, batches.get(), indexingNanos.get() / 1_000_000, errors.total(),
                prefetchCalls.get(), prefetchedDocuments.get(), lucene.sizeOnDisk(), loop.handoffs(), stale);
    }

    /**
     * Where the index stands against its collection now. Counts the documents ahead of it by walking the
     * collection's etag order from its position: free when caught up, proportional to the lag otherwise.
     */
    public IndexProgress progress() {
        String collection = definition.collection();
        Progress p = lucene.progress();
        boolean resetPending = resetsRequested.get() != resetsDone;
        long now = System.nanoTime();
        try (DocumentReader reader = store.beginRead()) {
            long total = reader.collectionCount(collection);
            long lag = 0;
            long newest = p.lastDocumentEtag();
            if (resetPending) {
                lag = total;
            } else if (caughtUpEtag < reader.lastEtag()) {
                StoredDocument d = new StoredDocument();
                DocumentIterator it = reader.collection(collection, p.lastDocumentEtag() + 1);
                while (it.next(d)) {
                    lag++;
                    newest = d.etag();
                }
            }
            long lagEtags = resetPending ? newest : newest - p.lastDocumentEtag();
            double rate = throughput.documentsPerSecond(now);
            double eta = lag == 0 || rate <= 0 ? -1 : lag / rate;
            return new IndexProgress(Math.max(0, total - lag), total, lag, lagEtags, rate, eta,
                    throughput.lastBatchNanos());
        }
    }

    /** Stops the thread after its current batch and closes the Lucene index (uncommitted work is redone later). */
    @Override
    public void close() throws IOException {
        loop.close();
        state = IndexState.CLOSED;
        lucene.close();
    }

    /** Stops and deletes the index's files (the index was dropped). */
    public void closeAndDelete() throws IOException {
        loop.close();
        state = IndexState.CLOSED;
        lucene.closeAndDelete();
    }
}
