package dev.blitdb.indexing.lucene;

import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexField;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KeepOnlyLastCommitDeletionPolicy;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SnapshotDeletionPolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One index's Lucene side: a {@link Directory} in its own folder, the {@link IndexWriter}, and a
 * {@link SearcherManager} for queries. Each commit carries, in its user data, how far into the store the index
 * has got (the last indexed document etag and tombstone etag) and the definition it was built for: reopening
 * resumes exactly there, and a changed definition starts over from an empty index.
 *
 * <p>Two positions: {@link #progress()} is what searchers show (after {@link #commit} or {@link #refresh}), and
 * {@link #committedProgress()} what is durable. A restart resumes from the durable one and redoes the rest.
 *
 * <p>Writes (update, delete, commit, refresh, reset, {@link #recover}) come from the index's one worker thread;
 * searches from any thread.
 */
public final class LuceneIndex implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LuceneIndex.class.getName());

    static final String LAST_DOCUMENT_ETAG = "blitdb.lastDocumentEtag";
    static final String LAST_TOMBSTONE_ETAG = "blitdb.lastTombstoneEtag";
    static final String DEFINITION = "blitdb.definition";

    /** How far the index has got: every document and tombstone up to these etags is in it. */
    public record Progress(long lastDocumentEtag, long lastTombstoneEtag) {
        public static final Progress START = new Progress(0, 0);
    }

    /** Opens the Lucene directory of an index folder; tests wrap it to inject faults. */
    @FunctionalInterface
    public interface DirectoryFactory {
        DirectoryFactory MMAP = MMapDirectory::new;

        Directory open(Path folder) throws IOException;
    }

    /**
     * The writer, the searchers on it, and its deletion policy (which keeps pinned commits' files): replaced
     * together when {@link #recover} reopens the writer.
     */
    private record Writing(IndexWriter writer, SearcherManager searchers, SnapshotDeletionPolicy commits) {
        Writing(IndexWriter writer, SearcherManager searchers) {
            this(writer, searchers, (SnapshotDeletionPolicy) writer.getConfig().getIndexDeletionPolicy());
        }
    }

    /**
     * The last commit, pinned so Lucene keeps its files until {@link #release}: what a backup copies (the files
     * never change; {@code progress} is the commit's position in the store).
     */
    public record PinnedCommit(Path folder, List<String> files, Progress progress, IndexCommit commit,
                               SnapshotDeletionPolicy policy) {
    }

    /**
     * The files of the last commit of an index that no writer has open (a stopped server's), with the commit's
     * position in the store: what a backup of a stopped data folder copies.
     */
    public record CommittedFiles(Path folder, List<String> files, Progress progress) {
    }

    /**
     * The last commit in {@code folder} if it holds an index built for {@code definition} (empty when there is no
     * index there, or one of another definition, which an open would rebuild anyway). Only reads; for a folder no
     * server has open.
     *
     * @throws IOException when the commit cannot be read (a damaged index is not worth copying either)
     */
    public static Optional<CommittedFiles> lastCommit(Path folder, IndexDefinition definition) throws IOException {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Directory directory = new org.apache.lucene.store.NIOFSDirectory(folder)) {
            if (!DirectoryReader.indexExists(directory)) {
                return Optional.empty();
            }
            SegmentInfos infos = SegmentInfos.readLatestCommit(directory);
            Map<String, String> data = infos.getUserData();
            if (!fingerprint(definition).equals(data.get(DEFINITION))) {
                return Optional.empty();
            }
            return Optional.of(new CommittedFiles(folder, List.copyOf(infos.files(true)), progressOf(data)));
        }
    }

    private final Path folder;
    private final Directory directory;
    private final Analyzer analyzer;
    private final String fingerprint;
    private final boolean rebuilt;
    private final String damage;
    private volatile Writing writing;
    private volatile Progress committed;
    private volatile Progress visible;

    private LuceneIndex(Path folder, Directory directory, Analyzer analyzer, String fingerprint, Writing writing,
                        Progress committed, boolean rebuilt, String damage) {
        this.folder = folder;
        this.directory = directory;
        this.analyzer = analyzer;
        this.fingerprint = fingerprint;
        this.writing = writing;
        this.committed = committed;
        this.visible = committed;
        this.rebuilt = rebuilt;
        this.damage = damage;
    }

    public static LuceneIndex open(Path folder, IndexDefinition definition, Analyzer analyzer) throws IOException {
        return open(folder, definition, analyzer, DirectoryFactory.MMAP);
    }

    /**
     * Opens (or creates) the index in {@code folder}. An index built for another definition starts over. An
     * index that is proven damaged or of an unreadable format ({@link CorruptIndexException},
     * {@link IndexFormatTooOldException}, {@link IndexFormatTooNewException}, or unreadable BlitDB commit data)
     * is emptied and rebuilt, logged at WARN with the cause and reported by {@link #damage()}. Any other failure
     * (a transient I/O error, a permission problem) throws and leaves every file as it was.
     */
    public static LuceneIndex open(Path folder, IndexDefinition definition, Analyzer analyzer,
                                   DirectoryFactory directories) throws IOException {
        Files.createDirectories(folder);
        Directory directory = directories.open(folder);
        String fingerprint = fingerprint(definition);
        try {
            try {
                return openIn(folder, directory, analyzer, fingerprint, false, null);
            } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException
                     | UnreadableCommitData damaged) {
                String reason = "the index files in " + folder + " were unreadable (" + damaged
                        + "); they were deleted and the index is rebuilt from the documents";
                LOG.log(System.Logger.Level.WARNING, "index " + definition.name() + ": " + reason, damaged);
                for (String file : directory.listAll()) {
                    directory.deleteFile(file);
                }
                return openIn(folder, directory, analyzer, fingerprint, true, reason);
            }
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    private static LuceneIndex openIn(Path folder, Directory directory, Analyzer analyzer, String fingerprint,
                                      boolean create, String damage) throws IOException {
        Progress progress = Progress.START;
        boolean rebuild = create;
        boolean exists = !create && DirectoryReader.indexExists(directory);
        if (exists) {
            Map<String, String> data = SegmentInfos.readLatestCommit(directory).getUserData();
            if (fingerprint.equals(data.get(DEFINITION))) {
                progress = progressOf(data);
            } else {
                rebuild = true;
            }
        }
        IndexWriter writer = new IndexWriter(directory, config(analyzer, rebuild
                ? IndexWriterConfig.OpenMode.CREATE : IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
        LuceneIndex index;
        try {
            index = new LuceneIndex(folder, directory, analyzer, fingerprint,
                    new Writing(writer, new SearcherManager(writer, null)), progress, rebuild, damage);
        } catch (IOException | RuntimeException e) {
            writer.rollback();
            throw e;
        }
        if (rebuild || !exists) {
            index.commit(Progress.START);
        }
        return index;
    }

    /**
     * The writer's RAM buffer: it flushes a segment on its own when full; commits come on the worker's timer. The
     * rebuild benchmark's raw-Lucene baselines use the same value.
     */
    public static final double RAM_BUFFER_MB = 32;

    private static IndexWriterConfig config(Analyzer analyzer, IndexWriterConfig.OpenMode mode) {
        // Lucene's defaults otherwise (codec, merge policy and scheduler, compound files): the ones a user of
        // Lucene gets, and what the benchmark's baselines run with.
        return tune(new IndexWriterConfig(analyzer))
                .setOpenMode(mode)
                // keeps only the last commit, except commits a backup has pinned (pinCommit)
                .setIndexDeletionPolicy(new SnapshotDeletionPolicy(new KeepOnlyLastCommitDeletionPolicy()))
                .setCommitOnClose(false); // only commits that carry progress count
    }

    /**
     * The writer settings that decide indexing cost, shared with the rebuild benchmark's raw-Lucene baselines: the
     * RAM buffer, and no compound files — a flushed or merged segment is written once instead of written and then
     * copied into a {@code .cfs} (a few more files per segment; the directory is memory-mapped).
     */
    public static IndexWriterConfig tune(IndexWriterConfig config) {
        TieredMergePolicy merges = new TieredMergePolicy();
        merges.setNoCFSRatio(0.0);
        return config.setRAMBufferSizeMB(RAM_BUFFER_MB).setUseCompoundFile(false).setMergePolicy(merges);
    }

    /** The live writer's configuration (for diagnostics and the benchmark's same-configuration check). */
    public org.apache.lucene.index.LiveIndexWriterConfig writerConfig() {
        return writing.writer().getConfig();
    }

    /** Commit data we wrote but cannot read back: as damaged as a bad Lucene file. */
    private static final class UnreadableCommitData extends IOException {
        UnreadableCommitData(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static Progress progressOf(Map<String, String> data) throws UnreadableCommitData {
        try {
            return new Progress(Long.parseLong(data.getOrDefault(LAST_DOCUMENT_ETAG, "0")),
                    Long.parseLong(data.getOrDefault(LAST_TOMBSTONE_ETAG, "0")));
        } catch (NumberFormatException e) {
            throw new UnreadableCommitData("commit data " + data + " has no readable progress", e);
        }
    }

    /** The part of a definition that decides what is indexed (not its priority): a change means a rebuild. */
    static String fingerprint(IndexDefinition definition) {
        StringBuilder text = new StringBuilder("v1|").append(definition.collection().toLowerCase(java.util.Locale.ROOT));
        definition.fields().values().stream().sorted(Comparator.comparing(IndexField::name))
                .forEach(f -> text.append('|').append(f.name()).append(':').append(f.type().wireName()).append(':')
                        .append(f.path().text()));
        return text.toString();
    }

    /** Whether opening found an index for another definition (or a damaged one) and started it over. */
    public boolean startedOver() {
        return rebuilt;
    }

    /** Why opening deleted a damaged index, if it did. */
    public Optional<String> damage() {
        return Optional.ofNullable(damage);
    }

    /** What searchers show: every document and tombstone up to here is visible to new searches. */
    public Progress progress() {
        return visible;
    }

    /** What is durable: a restart resumes from here. */
    public Progress committedProgress() {
        return committed;
    }

    /** Adds or replaces the entry of one document. */
    public void update(String lowerId, Document entry) throws IOException {
        writing.writer().updateDocument(new Term(InternalFields.ID, lowerId), entry);
    }

    /** As {@link #update(String, Document)}, the id given as its UTF-8 bytes (a term Lucene may keep). */
    public void update(org.apache.lucene.util.BytesRef lowerId, Document entry) throws IOException {
        writing.writer().updateDocument(new Term(InternalFields.ID, lowerId), entry);
    }

    /** Adds the entry of a document known to have none (a build from an empty index). */
    public void add(Document entry) throws IOException {
        writing.writer().addDocument(entry);
    }

    /** Removes the entry of one document, if any. */
    public void delete(String lowerId) throws IOException {
        writing.writer().deleteDocuments(new Term(InternalFields.ID, lowerId));
    }

    /** Makes everything written so far durable with {@code progress}, and visible to new searches. */
    public void commit(Progress progress) throws IOException {
        IndexWriter writer = writing.writer();
        writer.setLiveCommitData(Map.of(LAST_DOCUMENT_ETAG, Long.toString(progress.lastDocumentEtag()),
                LAST_TOMBSTONE_ETAG, Long.toString(progress.lastTombstoneEtag()), DEFINITION, fingerprint).entrySet());
        writer.commit();
        committed = progress;
        refresh(progress);
    }

    /**
     * Makes everything written so far visible to new searches (a near-real-time reopen: no fsync), as of
     * {@code progress}; it becomes durable with the next {@link #commit}.
     */
    public void refresh(Progress progress) throws IOException {
        writing.searchers().maybeRefreshBlocking();
        visible = progress; // only now: a query that sees this progress must also see the entries
    }

    /** Empties the index and commits, so it rebuilds from the start. */
    public void reset() throws IOException {
        writing.writer().deleteAll();
        commit(Progress.START);
    }

    /**
     * Throws away everything since the last commit — buffered entries of a failed batch, or a writer that a
     * fatal error closed — by rolling the writer back and opening a new one on the last commit. Progress (both
     * positions) is read back from that commit. Searches running meanwhile finish on their searcher; a search
     * that asks for a new one while the old manager closes gets an {@code AlreadyClosedException} and retries.
     */
    public void recover() throws IOException {
        Writing old = writing;
        try {
            old.searchers().close();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the searchers of " + folder + " during recovery", e);
        }
        try {
            old.writer().rollback(); // also releases the write lock of a writer a tragic error closed
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "rolling back the writer of " + folder + " during recovery", e);
        }
        IndexWriter writer = new IndexWriter(directory, config(analyzer, IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
        Progress progress;
        SearcherManager searchers;
        try {
            progress = progressOf(SegmentInfos.readLatestCommit(directory).getUserData());
            searchers = new SearcherManager(writer, null);
        } catch (IOException | RuntimeException e) {
            writer.rollback();
            throw e;
        }
        writing = new Writing(writer, searchers);
        committed = progress;
        visible = progress;
    }

    /**
     * Pins the last commit (its files stay on disk, whatever the worker commits or merges meanwhile) for a backup
     * to copy; give it back with {@link #release(PinnedCommit)}. Any thread.
     */
    public PinnedCommit pinCommit() throws IOException {
        SnapshotDeletionPolicy policy = writing.commits();
        IndexCommit commit = policy.snapshot();
        try {
            return new PinnedCommit(folder, List.copyOf(commit.getFileNames()), progressOf(commit.getUserData()),
                    commit, policy);
        } catch (IOException | RuntimeException e) {
            policy.release(commit);
            throw e;
        }
    }

    /** Unpins a commit; its files go with the writer's next clean-up if no commit needs them. */
    public void release(PinnedCommit pinned) throws IOException {
        pinned.policy().release(pinned.commit());
        IndexWriter writer = writing.writer();
        if (writer.isOpen()) {
            writer.deleteUnusedFiles();
        }
    }

    /** A searcher on the latest visible state; give it back with {@link #release}. */
    public IndexSearcher acquire() throws IOException {
        return writing.searchers().acquire();
    }

    public void release(IndexSearcher searcher) throws IOException {
        // The reader's reference count is the manager's: this is right even after recover() replaced it.
        searcher.getIndexReader().decRef();
    }

    /** Entries (documents) in the index, buffered ones included. */
    public long entries() {
        return writing.writer().getDocStats().numDocs;
    }

    /** Bytes of the index's files on disk. */
    public long sizeOnDisk() {
        try (Stream<Path> files = Files.list(folder)) {
            return files.mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException gone) {
                    return 0; // merged away while we looked
                }
            }).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    public Path folder() {
        return folder;
    }

    /** Closes without committing: what was not committed with its progress is redone after reopening. */
    @Override
    public void close() throws IOException {
        Writing w = writing;
        try {
            w.searchers().close();
            w.writer().rollback();
        } finally {
            directory.close();
        }
    }

    /** Closes and deletes the index's folder (the index was dropped). */
    public void closeAndDelete() throws IOException {
        close();
        deleteFolder(folder);
    }

    /** Deletes an index folder that could not be opened (the index was dropped). */
    public static void deleteFolder(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
