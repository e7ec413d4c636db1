package dev.blitdb.server.operations;

import dev.blitdb.server.http.errors.ApiException;
import dev.blitdb.storage.engine.StoreFullException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operations: states, progress arithmetic, cancellation (checked and by interrupt), faults as API errors. */
class OperationsTest {

    @Test
    void shouldCompleteWithTheJobsResultAndFullProgress() throws Exception {
        try (Operations ops = new Operations()) {
            Operation op = ops.start(OperationKind.Export, "shop", "test", p -> {
                p.unit("documents");
                p.total(10);
                for (int i = 1; i <= 10; i++) {
                    p.processed(i);
                    p.addBytes(1000);
                }
                return Map.of("Documents", 10L);
            });
            assertTrue(op.await(10_000));
            assertEquals(OperationState.Completed, op.state());
            assertEquals(Map.of("Documents", 10L), op.result());
            Progress.Snapshot s = op.progress().snapshot();
            assertEquals(100.0, s.percent());
            assertEquals(0, s.etaSeconds());
            assertEquals("documents", s.unit());
            assertTrue(s.bytesPerSecond() > 0);
            assertEquals(op, ops.find(op.id()).orElseThrow());
            assertFalse(ops.cancel(op), "a finished operation cannot be cancelled");
        }
    }

    @Test
    void shouldReportPercentAndEtaWhileRunning() throws Exception {
        try (Operations ops = new Operations()) {
            CountDownLatch halfway = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            Operation op = ops.start(OperationKind.Backup, "shop", "test", p -> {
                p.total(200);
                p.processed(50);
                halfway.countDown();
                go.await();
                return Map.of();
            });
            halfway.await();
            Thread.sleep(50);
            Progress.Snapshot s = op.progress().snapshot();
            assertEquals(OperationState.Running, op.state());
            assertEquals(25.0, s.percent());
            assertTrue(s.etaSeconds() >= 0, "eta " + s.etaSeconds());
            go.countDown();
            assertTrue(op.await(10_000));
        }
    }

    @Test
    void shouldEndCancelledWhenTheJobSeesTheRequestOrIsInterrupted() throws Exception {
        try (Operations ops = new Operations()) {
            CountDownLatch started = new CountDownLatch(2);
            Operation polling = ops.start(OperationKind.Compact, "shop", "polls", p -> {
                started.countDown();
                for (; ; ) {
                    p.checkCancelled();
                    Thread.onSpinWait();
                }
            });
            Operation blocked = ops.start(OperationKind.Import, "shop", "sleeps", p -> {
                started.countDown();
                Thread.sleep(60_000);
                return Map.of();
            });
            started.await();
            assertTrue(ops.cancel(polling));
            assertTrue(ops.cancel(blocked));
            assertTrue(polling.await(10_000) && blocked.await(10_000));
            assertEquals(OperationState.Cancelled, polling.state());
            assertEquals(OperationState.Cancelled, blocked.state());
            assertEquals("OperationCancelled", polling.errorType());
        }
    }

    @Test
    void shouldFaultWithTheErrorTheApiWouldAnswer() throws Exception {
        try (Operations ops = new Operations()) {
            Operation full = ops.start(OperationKind.Backup, "shop", "disk full", p -> {
                throw new StoreFullException(Path.of("/x/data.blit"), 0, 4096, "No space left on device");
            });
            Operation bad = ops.start(OperationKind.Restore, null, "bad", p -> {
                throw ApiException.badRequest("bad thing at line 3");
            });
            assertTrue(full.await(10_000) && bad.await(10_000));
            assertEquals(OperationState.Faulted, full.state());
            assertEquals("InsufficientStorage", full.errorType());
            assertEquals("BadRequest", bad.errorType());
            assertEquals("bad thing at line 3", bad.errorMessage());
            assertEquals(bad, ops.list().getFirst(), "newest first");
        }
    }

    @Test
    void shouldCancelRunningOperationsOnClose() throws Exception {
        Operation op;
        try (Operations ops = new Operations()) {
            CountDownLatch started = new CountDownLatch(1);
            op = ops.start(OperationKind.Backup, "shop", "long", p -> {
                started.countDown();
                Thread.sleep(60_000);
                return Map.of();
            });
            started.await();
        }
        assertEquals(OperationState.Cancelled, op.state());
    }
}
