package dev.blitdb.storage.merger;

import dev.blitdb.storage.engine.Store;
import dev.blitdb.storage.engine.StoreClosedException;
import dev.blitdb.storage.engine.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link TransactionMerger#submit} racing with {@link TransactionMerger#close()}: every future completes — with
 * the operation's result if it was queued in time, else with {@link StoreClosedException} — and nothing hangs.
 */
class MergerShutdownRaceTest {

    static final int ROUNDS = 2_000;

    @TempDir
    Path dir;

    @Test
    void everySubmissionRacingCloseCompletes() throws Exception {
        int committed = 0;
        int refused = 0;
        try (Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(1 << 20))) {
            for (int round = 0; round < ROUNDS; round++) {
                TransactionMerger merger = new TransactionMerger(store);
                List<CompletableFuture<Integer>> futures = new ArrayList<>();
                CountDownLatch go = new CountDownLatch(1);
                int r = round;
                Thread submitter = Thread.ofPlatform().start(() -> {
                    go.countDown();
                    for (int i = 0; i < 4; i++) {
                        int n = i;
                        futures.add(merger.submit(txn -> {
                            txn.put("t", ("k" + (r % 50) + "-" + n).getBytes(), new byte[8]);
                            return n;
                        }));
                    }
                });
                go.await();
                merger.close();
                submitter.join();
                for (CompletableFuture<Integer> f : futures) {
                    try {
                        f.get(10, TimeUnit.SECONDS);
                        committed++;
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof StoreClosedException)) {
                            throw e;
                        }
                        refused++;
                    } catch (TimeoutException e) {
                        fail("round " + round + ": a submission racing close() never completed");
                    }
                }
            }
            store.verify();
        }
        assertTrue(committed > 0 && refused > 0, "race not exercised: " + committed + " committed, " + refused
                + " refused");
    }
}
