package dev.blitdb.bench.storage;

import dev.blitdb.storage.engine.Durability;
import dev.blitdb.storage.engine.ReadTxn;
import dev.blitdb.storage.engine.Store;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.engine.WriteTxn;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How long {@link Store#open} takes on a big store (bench/results/storage.md, "Open time"). Creates the store on
 * first use: ~1 KB values under sequential keys until the file reaches the size asked, every tenth one deleted
 * (so there is free space to find). Then opens and closes it {@code rounds} times, printing the open time and the
 * time to the first read. Uses only the public storage API, so the same source runs against an older build:
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.blitdb.bench.storage.OpenTimeReport /tmp/open-time 1024 3
 * java -cp old-storage.jar:blittable.jar bench/src/main/java/dev/blitdb/bench/storage/OpenTimeReport.java /tmp/open-time 1024 3
 * </pre>
 */
public final class OpenTimeReport {

    private OpenTimeReport() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long megabytes = Long.parseLong(args[1]);
        int rounds = Integer.parseInt(args[2]);
        if (!Files.exists(dir.resolve("data.blit"))) {
            create(dir, megabytes << 20);
        }
        for (int round = 1; round <= rounds; round++) {
            long t0 = System.nanoTime();
            try (Store store = Store.open(dir)) {
                long opened = System.nanoTime();
                try (ReadTxn r = store.beginRead()) {
                    if (r.get("t", key(12_344)) == null) {
                        throw new IllegalStateException("key 12344 is missing");
                    }
                }
                long read = System.nanoTime();
                System.out.printf("round %d: file %d MB, open %.3f s, first read %.3f ms, free pages at open %d%n",
                        round, Files.size(dir.resolve("data.blit")) >> 20, (opened - t0) / 1e9, (read - opened) / 1e6,
                        store.stats().freePages());
            }
        }
    }

    private static void create(Path dir, long bytes) throws Exception {
        StoreOptions options = StoreOptions.defaults().withDurability(Durability.NO_SYNC);
        byte[] value = new byte[1000];
        try (Store store = Store.open(dir, options)) {
            int next = 0;
            while (Files.size(dir.resolve("data.blit")) < bytes) {
                try (WriteTxn w = store.beginWrite()) {
                    for (int i = 0; i < 20_000; i++, next++) {
                        value[next % 1000] = (byte) next;
                        w.put("t", key(next), value);
                    }
                    w.commit();
                }
            }
            try (WriteTxn w = store.beginWrite()) {
                for (int i = 5; i < next; i += 10) {
                    w.delete("t", key(i));
                }
                w.commit();
            }
            System.out.printf("created %d keys, %d MB%n", next, Files.size(dir.resolve("data.blit")) >> 20);
        }
    }

    private static byte[] key(int i) {
        return String.format("k%010d", i).getBytes(StandardCharsets.US_ASCII);
    }
}
