package dev.blitdb.indexing.lucene;

import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexField;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One index's Lucene side: an {@link MMapDirectory} in its own folder, the {@link IndexWriter}, and a
 * {@link SearcherManager} for queries. Each commit carries, in its user data, how far into the store the index
 * has got (the last indexed document etag and tombstone etag) and the definition it was built for: reopening
 * resumes exactly there, and a changed definition starts over from an empty index.
 *
 * <p>Writes (update, delete, commit, reset) come from the index's one worker thread; searches from any thread.
 */
public final class LuceneIndex implements AutoCloseable {

    static final String LAST_DOCUMENT_ETAG = "blitdb.lastDocumentEtag";
    static final String LAST_TOMBSTONE_ETAG = "blitdb.lastTombstoneEtag";
    static final String DEFINITION = "blitdb.definition";

    /** How far the index has got: every document and tombstone up to these etags is in it. */
    public record Progress(long lastDocumentEtag, long lastTombstoneEtag) {
        public static final Progress START = new Progress(0, 0);
    }

    private final Path folder;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final String fingerprint;
    private volatile Progress committed;
    private final boolean rebuilt;

    private LuceneIndex(Path folder, Directory directory, IndexWriter writer, SearcherManager searchers,
                        String fingerprint, Progress committed, boolean rebuilt) {
        this.folder = folder;
        this.directory = directory;
        this.writer = writer;
        this.searchers = searchers;
        this.fingerprint = fingerprint;
        this.committed = committed;
        this.rebuilt = rebuilt;
    }

    /**
     * Opens (or creates) the index in {@code folder}. If the folder holds an index built for another definition,
     * or one whose commit data cannot be read, it is emptied and the index starts from the beginning.
     */
    public static LuceneIndex open(Path folder, IndexDefinition definition, Analyzer analyzer) throws IOException {
        Files.createDirectories(folder);
        Directory directory = new MMapDirectory(folder);
        String fingerprint = fingerprint(definition);
        Progress progress = Progress.START;
        boolean rebuild = false;
        try {
            if (DirectoryReader.indexExists(directory)) {
                Map<String, String> data = SegmentInfos.readLatestCommit(directory).getUserData();
                if (fingerprint.equals(data.get(DEFINITION))) {
                    progress = new Progress(Long.parseLong(data.getOrDefault(LAST_DOCUMENT_ETAG, "0")),
                            Long.parseLong(data.getOrDefault(LAST_TOMBSTONE_ETAG, "0")));
                } else {
                    rebuild = true;
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // A damaged commit point: IndexWriter would trip over it even in CREATE mode, so clear the folder.
            rebuild = true;
            for (String file : directory.listAll()) {
                directory.deleteFile(file);
            }
        }
        IndexWriterConfig config = new IndexWriterConfig(analyzer)
                .setOpenMode(rebuild ? IndexWriterConfig.OpenMode.CREATE : IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(32)
                .setCommitOnClose(false); // only commits that carry progress count
        IndexWriter writer;
        try {
            writer = new IndexWriter(directory, config);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
        LuceneIndex index = new LuceneIndex(folder, directory, writer, new SearcherManager(writer, null),
                fingerprint, progress, rebuild);
        if (rebuild || !DirectoryReader.indexExists(directory)) {
            index.commit(Progress.START);
        }
        return index;
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

    public Progress progress() {
        return committed;
    }

    /** Adds or replaces the entry of one document. */
    public void update(String lowerId, Document entry) throws IOException {
        writer.updateDocument(new Term(InternalFields.ID, lowerId), entry);
    }

    /** Adds the entry of a document known to have none (a build from an empty index). */
    public void add(Document entry) throws IOException {
        writer.addDocument(entry);
    }

    /** Removes the entry of one document, if any. */
    public void delete(String lowerId) throws IOException {
        writer.deleteDocuments(new Term(InternalFields.ID, lowerId));
    }

    /** Makes everything written so far durable with {@code progress}, and visible to new searches. */
    public void commit(Progress progress) throws IOException {
        writer.setLiveCommitData(Map.of(LAST_DOCUMENT_ETAG, Long.toString(progress.lastDocumentEtag()),
                LAST_TOMBSTONE_ETAG, Long.toString(progress.lastTombstoneEtag()), DEFINITION, fingerprint).entrySet());
        writer.commit();
        searchers.maybeRefreshBlocking();
        committed = progress; // only now: a query that sees this progress must also see the entries

    }

    /** Empties the index and commits, so it rebuilds from the start. */
    public void reset() throws IOException {
        writer.deleteAll();
        commit(Progress.START);
    }

    /** A searcher on the latest committed state; give it back with {@link #release}. */
    public IndexSearcher acquire() throws IOException {
        return searchers.acquire();
    }

    public void release(IndexSearcher searcher) throws IOException {
        searchers.release(searcher);
    }

    /** Entries (documents) in the index, as of the last refresh. */
    public long entries() {
        return writer.getDocStats().numDocs;
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
        try {
            searchers.close();
            writer.rollback();
        } finally {
            directory.close();
        }
    }

    /** Closes and deletes the index's folder (the index was dropped). */
    public void closeAndDelete() throws IOException {
        close();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
