package dev.blitdb.indexing.execution;

import dev.blitdb.indexing.definition.IndexDefinitionJson;
import dev.blitdb.indexing.manager.IndexManager;
import dev.blitdb.indexing.worker.IndexWorker;
import dev.blitdb.indexing.worker.IndexingOptions;
import dev.blitdb.indexing.worker.ThreadSpawner;
import dev.blitdb.storage.documents.DocumentStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The child JVM of {@link IndexRebuildCrashTest}: opens the store and its indexes, defines {@code Users/ByCity}
 * (unchanged if it exists) and prints {@code committed <etag>} each time the worker's durable position moves, until
 * it reaches {@code args[1]}; the parent kills it with SIGKILL somewhere on the way.
 */
public final class IndexRebuildCrashChild {

    static final String DEFINITION = "{\"Name\":\"Users/ByCity\",\"Collection\":\"Users\",\"Fields\":{"
            + "\"City\":{\"Path\":\"Address.City\",\"Type\":\"Keyword\"},\"Age\":{\"Path\":\"Age\",\"Type\":\"Long\"}}}";

    private IndexRebuildCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        long target = Long.parseLong(args[1]);
        // Small batches and a short behind-interval: many commits during the rebuild, uncommitted work at any kill.
        IndexingOptions options = new IndexingOptions(32, Duration.ofMillis(20), 16, 64)
                .withCommitInterval(Duration.ofMillis(20)).withBehindCommitInterval(Duration.ofMillis(30));
        try (ThreadSpawner spawner = new ThreadSpawner("child-spawner");
             DocumentStore store = DocumentStore.open(db);
             IndexManager indexes = IndexManager.open("db", store, db.resolve("indexes"), spawner, options)) {
            byte[] definition = DEFINITION.getBytes(StandardCharsets.UTF_8);
            indexes.put(IndexDefinitionJson.parse(definition, 0, definition.length));
            IndexWorker worker = indexes.require("Users/ByCity");
            System.out.println("defined");
            long last = -1;
            while (true) {
                long committed = worker.lucene().committedProgress().lastDocumentEtag();
                if (committed != last) {
                    System.out.println("committed " + committed);
                    last = committed;
                }
                if (committed >= target) {
                    System.out.println("done");
                    return;
                }
                Thread.sleep(1);
            }
        }
    }
}
