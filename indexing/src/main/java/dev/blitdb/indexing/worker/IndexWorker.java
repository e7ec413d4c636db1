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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps one index up to date with its collection, on its own {@link PrioritizedLoop} thread. One unit of work:
 * open a read transaction → walk the collection in etag order from where the last batch stopped → advise the
 * kernel of the documents ahead → read the fields straight from the mapped blittable documents → update Lucene
 * by document id (or add, for an id it certainly never gave an entry) → apply the collection's deletes. Batches
 * do not commit: when the worker has caught up it refreshes the searchers (near-real-time, no fsync) — at once for
 * a waiting query or once the writes pause, at most every {@link IndexingOptions#refreshInterval()} while they
 * keep arriving — and publishes the new position, and at most every
 * {@link IndexingOptions#commitInterval()} it commits with the position in the commit data (see
 * {@link LuceneIndex}), so a restart resumes exactly from the last commit.
 *
 * <p>A document whose values do not fit the index (a string in a {@code Long} field) is recorded in
 * {@link #errors()}, its old entry removed, and skipped. A failing batch (disk, Lucene) makes the index
 * {@link IndexState#FAULTY}; before the retry the writer is rolled back to its last commit and reopened, so no
 * entry of the failed batch stays buffered and a writer closed by a fatal error is replaced. An index whose
 * files cannot be opened for a reason other than proven damage stays {@code FAULTY} with the reason, its files
 * untouched, and opening is retried.
 */
public final class IndexWorker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(IndexWorker.class.getName());

    private final String database;
    private final DocumentStore store;
    private final IndexingOptions options;
    private final Path folder;
    private final Analyzer analyzer;
    private final PrioritizedLoop loop;
    private final IndexErrors errors = new IndexErrors();
    private final Object progressSignal = new Object();
    private volatile IndexDefinition definition;
    /** Null until the index files are open (a failed open is retried by the loop). */
    private volatile LuceneIndex lucene;

    // Used only by the thread running the loop (one at a time; a handoff joins the previous thread first).
    private final BlitEntryReader entries;
    private final StoredDocument document = new StoredDocument();
    private final BlitDocument blit = new BlitDocument();
    private final java.util.function.Supplier<String> documentId = document::id;
    /** Where the next batch starts: ahead of the published position by work not yet refreshed or committed. */
    private Progress pending = Progress.START;
    /** The tombstone tree scanned for this collection up to here, as of {@link #pending}. */
    private long scannedTo;
    private long lastCommitNanos = System.nanoTime();
    private long lastRefreshNanos = System.nanoTime() - Duration.ofDays(1).toNanos();
    /** A query waits for this index to be non-stale: refresh as soon as it has caught up. */
    private volatile boolean refreshWanted;
    /** When a query last looked at the index (see {@link #view()}); an index not queried lately refreshes lazily. */
    private volatile long lastSearchNanos = System.nanoTime() - Duration.ofDays(1).toNanos();
    /** When a batch last found new documents or deletes. */
    private long lastNewWorkNanos = System.nanoTime();
    /** The writes have paused when no batch found anything new for this long. */
    static final long QUIET_NANOS = Duration.ofMillis(200).toNanos();
    /** Without a query for this long an index is search-idle: writes arriving do not refresh it on the timer. */
    static final long SEARCH_IDLE_NANOS = Duration.ofSeconds(30).toNanos();
    /**
     * The etags at which boosts end ({@link #boost()}): each is released once the index has caught up to it, so a
     * bulk load's documents are indexed at the boosted priority to the last one.
     */
    private final java.util.List<Long> boostReleases = new java.util.ArrayList<>();
    /** Set by a failed batch: roll the writer back to its last commit before the next one. */
    private volatile boolean needsRecovery;

    /** Everything of the collection up to this etag is visible to searches. */
    private volatile long caughtUpEtag;
    /**
     * Deletes are kept in one etag-ordered tree for all collections; this is how far it has been scanned for this
     * collection's, as of the published position, so deletes in other collections are not rescanned. In memory
     * only: after a restart the scan starts from the last applied delete, which is correct, just slower once.
     */
    private volatile long tombstonesScannedTo;
    /**
     * While building from an empty index, documents with etags up to this one cannot have an entry yet (the
     * collection's etag order holds each document once), so they are added without the delete-by-id that an
     * update costs. Documents written after the build began are updated as usual.
     */
    private long addOnlyUpToEtag;
    /**
     * Ids this worker has given an entry since the index was empty (null when it opened an index with entries:
     * then any document may have one). A document not in it is added without the delete-by-id of an update, also
     * when it arrives after the build began (an import, a bulk insert racing the build); see
     * {@link IndexedIdFilter}. A rollback to the last commit ({@link #recover}) keeps it: the entries left are a
     * subset of the ids it holds.
     */
    private IndexedIdFilter indexedIds;
    /** Resets asked for and done; the index counts as stale while they differ. */
    private final java.util.concurrent.atomic.AtomicInteger resetsRequested = new java.util.concurrent.atomic.AtomicInteger();
    private volatile int resetsDone;
    private volatile IndexState state = IndexState.IDLE;
    private volatile String lastFailure;
    private final AtomicLong documentsIndexed = new AtomicLong();
    private final AtomicLong documentsAdded = new AtomicLong();
    private final AtomicLong refreshes = new AtomicLong();
    private final AtomicLong tombstonesApplied = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong indexingNanos = new AtomicLong();
    private final AtomicLong documentNanos = new AtomicLong();
    private final AtomicLong prefetchCalls = new AtomicLong();
    private final AtomicLong prefetchedDocuments = new AtomicLong();
    private final ThroughputWindow throughput = new ThroughputWindow();

    private IndexWorker(String database, DocumentStore store, IndexDefinition definition, IndexingOptions options,
                        Path folder, Analyzer analyzer, ThreadSpawner spawner) {
        this.database = database;
        this.store = store;
        this.definition = definition;
        this.options = options;
        this.folder = folder;
        this.analyzer = analyzer;
        this.entries = new BlitEntryReader(definition);
        this.loop = new PrioritizedLoop(threadName(database, definition.name()), definition.priority(),
                this::runBatch, this::failed, spawner);
    }

    /** The worker thread's name: {@code index/{db}/{name}}. */
    public static String threadName(String database, String index) {
        return "index/" + database + "/" + index;
    }

    /**
     * Opens the Lucene index in {@code folder} and starts the worker thread. When the files cannot be opened
     * (other than proven damage, which rebuilds), the worker still starts, {@code FAULTY} with the reason, and
     * retries opening; queries on it fail with {@link IndexUnavailableException} meanwhile.
     */
    public static IndexWorker start(String database, DocumentStore store, IndexDefinition definition, Path folder,
                                    Analyzer analyzer, IndexingOptions options, ThreadSpawner spawner) {
        return start(database, store, definition, folder, analyzer, options, spawner, false);
    }

    /** As above; {@code paused}: the thread starts paused and indexes nothing until {@link #resume()}. */
    public static IndexWorker start(String database, DocumentStore store, IndexDefinition definition, Path folder,
                                    Analyzer analyzer, IndexingOptions options, ThreadSpawner spawner,
                                    boolean paused) {
        IndexWorker worker = new IndexWorker(database, store, definition, options, folder, analyzer, spawner);
        try {
            worker.open();
        } catch (IOException | RuntimeException e) {
            worker.failed(e);
        }
        if (paused) {
            worker.pause();
        }
        worker.loop.start();
        return worker;
    }

    private void open() throws IOException {
        try {
            LuceneIndex opened = LuceneIndex.open(folder, definition, analyzer, options.directories());
            opened.damage().ifPresent(reason -> errors.record(null, 0, reason));
            pending = opened.progress();
            indexedIds = opened.entries() == 0 ? new IndexedIdFilter() : null;
            scannedTo = 0;
            lastCommitNanos = System.nanoTime();
            lucene = opened;
        } catch (IOException | RuntimeException e) {
            throw new IOException("index " + definition.name() + " cannot be opened (" + e
                    + "); its files in " + folder + " are left as they are and opening is retried", e);
        }
    }

    public IndexDefinition definition() {
        return definition;
    }

    /** The Lucene side; {@link IndexUnavailableException} while its files cannot be opened. */
    public LuceneIndex lucene() {
        LuceneIndex index = lucene;
        if (index == null) {
            throw new IndexUnavailableException(definition.name(), lastFailure);
        }
        return index;
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
        if (lucene == null) {
            open();
        }
        LuceneIndex index = lucene;
        if (needsRecovery) {
            index.recover();
            pending = index.progress();
            scannedTo = 0;
            tombstonesScannedTo = 0;
            caughtUpEtag = 0; // what was visible may have been rolled back
            lastCommitNanos = System.nanoTime();
            needsRecovery = false;
        }
        int resets = resetsRequested.get();
        if (resets != resetsDone) {
            index.reset();
            errors.clear();
            pending = Progress.START;
            caughtUpEtag = 0;
            addOnlyUpToEtag = 0;
            indexedIds = new IndexedIdFilter();
            scannedTo = 0;
            tombstonesScannedTo = 0;
            throughput.clear();
            lastCommitNanos = System.nanoTime();
            resetsDone = resets; // only now may queries trust the (empty) progress
        }
        IndexDefinition def = definition;
        long started = System.nanoTime();
        if (pending.equals(Progress.START) && index.entries() == 0) {
            try (DocumentReader reader = store.beginRead()) {
                addOnlyUpToEtag = reader.lastEtag();
            }
        }
        long deadline = started + options.batchTime().toNanos();
        Progress from = pending;
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
                indexDocument(index, it);
                lastDocument = document.etag();
            }
            long documentsDone = System.nanoTime();

            long lastTombstone = from.lastTombstoneEtag();
            List<Tombstone> tombstones = reader.tombstones(Math.max(lastTombstone, scannedTo) + 1,
                    def.collection(), options.tombstoneBatch());
            for (Tombstone t : tombstones) {
                // A later put of the same id outranks this delete: its entry is (or will be) indexed.
                if (!(reader.get(t.id(), document) && document.etag() > t.etag())) {
                    index.delete(IndexEntryBuilder.lowerId(t.id()));
                }
                lastTombstone = t.etag();
            }
            boolean moreTombstones = tombstones.size() == options.tombstoneBatch();
            boolean more = moreDocuments || moreTombstones;
            pending = new Progress(lastDocument, lastTombstone);
            scannedTo = moreTombstones ? lastTombstone : Math.max(scannedTo, snapshotEtag);

            long now = System.nanoTime();
            // Caught up: refresh at once when a query waits for it or the writes have paused (this look found
            // nothing new); while writes keep arriving, at most every refreshInterval and only for an index that
            // is being queried: each refresh flushes a small segment that merges rewrite later.
            if (indexed > 0 || !tombstones.isEmpty()) {
                lastNewWorkNanos = now;
            }
            // Quiet: nothing new for a while (not merely a wake-up whose commit an earlier batch already took).
            boolean quiet = now - lastNewWorkNanos >= QUIET_NANOS;
            boolean wanted = refreshWanted;
            boolean searched = now - lastSearchNanos < SEARCH_IDLE_NANOS;
            boolean refreshNow = !more && (wanted || quiet
                    || searched && now - lastRefreshNanos >= options.refreshInterval().toNanos());
            // Behind or still receiving writes: commit less often; each commit forces a flush and an fsync.
            Duration interval = more || !refreshNow ? options.behindCommitInterval() : options.commitInterval();
            boolean commitDue = now - lastCommitNanos >= interval.toNanos();
            boolean published = false;
            if (commitDue && !pending.equals(index.committedProgress())) {
                refreshWanted = false; // before: a request arriving during the commit is kept for the next batch
                index.commit(pending);
                lastCommitNanos = System.nanoTime();
                lastRefreshNanos = lastCommitNanos;
                commits.incrementAndGet();
                published = true;
            } else if (refreshNow && !pending.equals(index.progress())) {
                refreshWanted = false;
                index.refresh(pending); // caught up: visible now, durable with the next commit
                lastRefreshNanos = System.nanoTime();
                refreshes.incrementAndGet();
                published = true;
            } else if (refreshNow) {
                refreshWanted = false; // nothing to refresh: what a waiting query needs is visible already
            }
            if (indexed > 0 || !tombstones.isEmpty()) {
                batches.incrementAndGet();
                documentsIndexed.addAndGet(indexed);
                tombstonesApplied.addAndGet(tombstones.size());
                documentNanos.addAndGet(documentsDone - started);
                long ended = System.nanoTime();
                indexingNanos.addAndGet(ended - started);
                throughput.record(started, ended, indexed);
            }
            // Only after the refresh: a query that trusts these positions must see the entries.
            if (published || pending.equals(index.progress())) {
                tombstonesScannedTo = scannedTo;
                if (!more) {
                    caughtUpEtag = snapshotEtag; // everything of the collection up to the snapshot is visible
                }
            }
            state = more ? IndexState.INDEXING : IndexState.IDLE;
            lastFailure = null;
            releaseBoosts(false);
            synchronized (progressSignal) {
                progressSignal.notifyAll();
            }
            // Uncommitted work waits for the idle loop's next look (once a second) to be committed on time.
            return more;
        }
    }

    private void indexDocument(LuceneIndex index, DocumentIterator it) throws IOException {
        try {
            // The entry's id field comes from the store key as bytes: a rebuild decodes no id.
            java.lang.foreign.MemorySegment key = it.key();
            var entry = entries.read(key, documentId, document.document(blit));
            IndexedIdFilter ids = indexedIds;
            if (document.etag() <= addOnlyUpToEtag || ids != null && !ids.mightContain(key)) {
                index.add(entry); // certainly no entry yet: no delete-by-id
                documentsAdded.incrementAndGet();
            } else {
                index.update(entries.idTerm(), entry); // the key's bytes: no id String decoded
            }
            if (ids != null) {
                ids.add(key);
            }
        } catch (IndexValueException e) {
            String id = document.id();
            errors.record(id, document.etag(), e.getMessage());
            index.delete(IndexEntryBuilder.lowerId(id)); // an older version must not answer queries
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
        releaseBoosts(true); // a failing index retries at its own priority
        state = IndexState.FAULTY;
        lastFailure = failure.toString();
        needsRecovery = lucene != null;
        LOG.log(System.Logger.Level.WARNING, "index " + definition.name() + " of database " + database
                + (needsRecovery ? ": batch failed; the writer is rolled back to its last commit and the batch retried"
                : ": the index files cannot be opened; left as they are, opening is retried"), failure);
    }

    /** What a query needs to know of the index, read in this order before it takes a searcher. */
    public record View(LuceneIndex lucene, Progress progress, long caughtUpEtag, long tombstonesScannedTo,
                       boolean resetPending) {
    }

    /**
     * The index's published position, read before the caller acquires a searcher: the searcher then shows at
     * least this much, so a staleness verdict from it ({@link #isStale(DocumentReader, long, View)}) errs only
     * towards "stale".
     */
    public View view() {
        LuceneIndex index = lucene();
        long now = System.nanoTime();
        if (now - lastSearchNanos > 100_000_000L) { // written at most every 100 ms: queries share the field
            lastSearchNanos = now;
        }
        boolean resetPending = resetsRequested.get() != resetsDone;
        long caughtUp = caughtUpEtag;
        long scanned = tombstonesScannedTo;
        return new View(index, index.progress(), caughtUp, scanned, resetPending);
    }

    /**
     * Whether the index is behind the database as it was at {@code asOfEtag}: documents or deletes of its
     * collection with etags up to there that it has not processed.
     */
    public boolean isStale(DocumentReader reader, long asOfEtag) {
        if (lucene == null) {
            return true; // not open yet: a waiting query waits for the retry to open it
        }
        return isStale(reader, asOfEtag, view());
    }

    /**
     * As {@link #isStale(DocumentReader, long)} for a given view. Costs one seek in the collection's etag order
     * and a scan of the tombstones written after the index's last look and up to {@code asOfEtag} — never the
     * whole tombstone tree.
     */
    public boolean isStale(DocumentReader reader, long asOfEtag, View view) {
        if (view.resetPending()) {
            return true; // about to empty the index: everything is ahead of it
        }
        if (view.caughtUpEtag() >= asOfEtag) {
            return false;
        }
        Progress p = view.progress();
        StoredDocument next = new StoredDocument();
        if (reader.collection(definition.collection(), p.lastDocumentEtag() + 1).next(next) && next.etag() <= asOfEtag) {
            return true;
        }
        return reader.hasTombstone(definition.collection(),
                Math.max(p.lastTombstoneEtag(), view.tombstonesScannedTo()) + 1, asOfEtag);
    }

    /**
     * Waits until the index has processed everything up to {@code asOfEtag}, or the timeout passes.
     *
     * @return true when not stale; false on time-out (the caller answers with what is indexed, marked stale)
     */
    public boolean awaitNonStale(long asOfEtag, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            if (lucene != null) {
                try (DocumentReader reader = store.beginRead()) {
                    if (!isStale(reader, asOfEtag)) {
                        return true;
                    }
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            refreshWanted = true;
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
        LuceneIndex index = lucene;
        if (index == null) {
            return reasons;
        }
        Progress p = index.progress();
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

    /**
     * Runs a {@code Normal} index at {@code High} (nice 0, the writers' own priority) until a matching
     * {@link #releaseBoostWhenCaughtUp}: while a bulk load (an import) keeps both cores busy at nice 0, a nice-5
     * worker falls behind and builds most of the index after the load ended, when one core is left idle.
     */
    public void boost() {
        loop.boost();
    }

    /**
     * Ends one {@link #boost()} once everything of the collection up to {@code etag} is visible to searches (at
     * once if it is already); a failing batch ends it too.
     */
    public void releaseBoostWhenCaughtUp(long etag) {
        synchronized (boostReleases) {
            boostReleases.add(etag);
        }
        if (caughtUpEtag >= etag) {
            releaseBoosts(false);
        }
        loop.wake();
    }

    /** Whether a {@link #boost()} is in effect. */
    public boolean isBoosted() {
        return loop.isBoosted();
    }

    /** The priority the worker runs at now: its definition's, or {@code High} while a {@code Normal} one is boosted. */
    public IndexPriority effectivePriority() {
        return loop.effectivePriority();
    }

    /** Ends the boosts whose etag the index has caught up to ({@code all}: every one). */
    private void releaseBoosts(boolean all) {
        long caughtUp = caughtUpEtag;
        synchronized (boostReleases) { // the worker and a releasing caller: each boost ends exactly once
            for (var it = boostReleases.iterator(); it.hasNext(); ) {
                long etag = it.next();
                if (all || etag <= caughtUp) {
                    it.remove();
                    loop.unboost();
                }
            }
        }
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
        try (DocumentReader reader = store.beginRead()) {
            return stats(reader, true);
        }
    }

    /**
     * As {@link #stats()}, read through the caller's read transaction (so a caller looking at many indexes of one
     * database, such as {@code /metrics}, opens one); without {@code sizeOnDisk} the size is -1 and no directory is
     * listed.
     */
    public IndexStats stats(DocumentReader reader, boolean sizeOnDisk) {
        IndexDefinition def = definition;
        LuceneIndex index = lucene;
        Progress p = index == null ? Progress.START : index.progress();
        long docNanos = documentNanos.get();
        double perSecond = docNanos == 0 ? 0 : documentsIndexed.get() / (docNanos / 1e9);
        boolean stale = index == null || isStale(reader, reader.lastEtag());
        IndexState shown = loop.isPaused() ? IndexState.PAUSED : state;
        return new IndexStats(def.name(), def.collection(), def.priority(), loop.effectiveNice().orElse(null),
                loop.threadId().isPresent() ? loop.threadId().getAsInt() : null, threadName(database, def.name()),
                shown, index == null ? 0 : index.entries(), p.lastDocumentEtag(), p.lastTombstoneEtag(), documentsIndexed.get(),
                tombstonesApplied.get(), perSecond, batches.get(), indexingNanos.get() / 1_000_000, errors.total(),
                prefetchCalls.get(), prefetchedDocuments.get(), index == null || !sizeOnDisk ? -1 : index.sizeOnDisk(),
                loop.handoffs(), stale, documentsAdded.get(), refreshes.get(), commits.get());
    }

    /**
     * Where the index stands against its collection now. Counts the documents ahead of it by walking the
     * collection's etag order from its position: free when caught up, proportional to the lag otherwise.
     */
    public IndexProgress progress() {
        try (DocumentReader reader = store.beginRead()) {
            return progress(reader);
        }
    }

    /** As {@link #progress()}, read through the caller's read transaction. */
    public IndexProgress progress(DocumentReader reader) {
        String collection = definition.collection();
        LuceneIndex index = lucene;
        Progress p = index == null ? Progress.START : index.progress(); // null while the index is still opening
        boolean resetPending = resetsRequested.get() != resetsDone;
        long now = System.nanoTime();
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

    /** Documents given an entry by a plain add (known to have none), not an update by id. */
    public long documentsAdded() {
        return documentsAdded.get();
    }

    /** Near-real-time refreshes made (each one flushes the writer's buffered entries into a segment). */
    public long refreshes() {
        return refreshes.get();
    }

    /** Lucene commits made (each one durable progress). */
    public long commits() {
        return commits.get();
    }

    /**
     * Stops the thread after its current batch, commits what the writer holds with its position (so an orderly
     * restart does not redo it), and closes the Lucene index. After a failed batch nothing is committed: that
     * work is redone after the restart.
     */
    @Override
    public void close() throws IOException {
        loop.close();
        state = IndexState.CLOSED;
        LuceneIndex index = lucene;
        if (index == null) {
            return;
        }
        try {
            if (!needsRecovery && resetsRequested.get() == resetsDone
                    && !pending.equals(index.committedProgress())) {
                index.commit(pending); // the loop thread has ended: its position is safe to read
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "index " + definition.name() + ": the last commit on close failed; "
                    + "its work is redone after the restart", e);
        } finally {
            index.close();
        }
    }

    /** Stops and deletes the index's files (the index was dropped). */
    public void closeAndDelete() throws IOException {
        loop.close();
        state = IndexState.CLOSED;
        LuceneIndex index = lucene;
        if (index == null) {
            LuceneIndex.deleteFolder(folder);
        } else {
            index.closeAndDelete();
        }
    }
}
