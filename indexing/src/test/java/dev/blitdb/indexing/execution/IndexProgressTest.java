package dev.blitdb.indexing.execution;

import dev.blitdb.indexing.worker.IndexProgress;
import dev.blitdb.indexing.worker.IndexWorker;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndexProgressTest extends IndexingTestBase {

    @Test
    void shouldCountEachDocumentAheadOnceAndReachAHundredPercent() throws Exception {
        for (int i = 0; i < 500; i++) {
            put("users/" + i, "{\"Name\":\"u" + i + "\",\"@metadata\":{\"@collection\":\"Users\"}}");
        }
        define("{\"Name\":\"Users/ByName\",\"Collection\":\"Users\",\"Fields\":{\"Name\":{\"Path\":\"Name\",\"Type\":\"Keyword\"}}}");
        IndexWorker worker = indexes.require("Users/ByName");
        assertTrue(worker.awaitNonStale(Long.MAX_VALUE, TimeUnit.SECONDS.toNanos(30)));
        IndexProgress done = worker.progress();
        assertEquals(500, done.total());
        assertEquals(500, done.processed());
        assertEquals(0, done.lagDocuments());
        assertEquals(0, done.lagEtags());
        assertEquals(100.0, done.percent());
        assertEquals(-1, done.etaSeconds());
        assertTrue(done.documentsPerSecond() > 0, "a rate right after the build: " + done);
        assertTrue(done.lastBatchNanos() > 0);

        worker.pause();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 10; i++) {
                put("users/" + i, "{\"Name\":\"v" + round + "\",\"@metadata\":{\"@collection\":\"Users\"}}");
            }
        }
        for (int i = 500; i < 505; i++) {
            put("users/" + i, "{\"Name\":\"new\",\"@metadata\":{\"@collection\":\"Users\"}}");
        }
        IndexProgress behind = worker.progress();
        assertEquals(505, behind.total());
        assertEquals(15, behind.lagDocuments(), "ten documents written twice count once, plus five new");
        assertEquals(490, behind.processed());
        assertEquals(25, behind.lagEtags(), "every write since the index's position has an etag");
        assertTrue(behind.percent() < 100);

        worker.resume();
        try (var reader = store.beginRead()) {
            assertTrue(worker.awaitNonStale(reader.lastEtag(), TimeUnit.SECONDS.toNanos(30)));
        }
        IndexProgress again = worker.progress();
        assertEquals(505, again.processed());
        assertEquals(0, again.lagDocuments());
    }

    @Test
    void shouldStartFromZeroAfterAReset() throws Exception {
        for (int i = 0; i < 100; i++) {
            put("users/" + i, "{\"Name\":\"u" + i + "\",\"@metadata\":{\"@collection\":\"Users\"}}");
        }
        define("{\"Name\":\"Users/ByName\",\"Collection\":\"Users\",\"Fields\":{\"Name\":{\"Path\":\"Name\",\"Type\":\"Keyword\"}}}");
        IndexWorker worker = indexes.require("Users/ByName");
        assertTrue(worker.awaitNonStale(Long.MAX_VALUE, TimeUnit.SECONDS.toNanos(30)));
        worker.pause();
        worker.reset();
        IndexProgress reset = worker.progress();
        assertEquals(100, reset.total());
        assertEquals(0, reset.processed());
        assertEquals(0.0, reset.percent());
        worker.resume();
    }
}
