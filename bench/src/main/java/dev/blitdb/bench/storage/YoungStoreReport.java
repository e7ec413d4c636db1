package dev.blitdb.bench.storage;

import dev.blitdb.storage.engine.SpaceAllocator;
import dev.blitdb.storage.engine.Store;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.engine.WriteTxn;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Durable inserts into a young store (every page lands in space the last growth step added), growth by
 * {@code posix_fallocate} alone (unwritten extents) against fallocate + zero-fill, alternating, in one JVM.
 * Prints per round the open time (the first growth step) and the insert rate.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar
 * dev.blitdb.bench.storage.YoungStoreReport [keys] [commitEvery] [rounds] [valueSize]}
 */
public final class YoungStoreReport {

    private YoungStoreReport() {
    }

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int every = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int valueSize = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        Path base = Path.of(System.getProperty("blitdb.bench.dir", "/tmp"));
        int[] order = KvPeer.shuffled(keys, 42);
        byte[] value = KvPeer.value(valueSize);
        System.out.printf("keys=%d commitEvery=%d rounds=%d valueSize=%d%n", keys, every, rounds, valueSize);
        List<double[]> rates = new ArrayList<>();
        for (int r = -1; r < rounds; r++) {
            double[] rate = new double[2];
            for (int turn = 0; turn < 2; turn++) {
                boolean zero = (turn == 0) == ((r & 1) == 0);
                SpaceAllocator a = zero ? standard() : fallocateOnly();
                Path dir = Files.createTempDirectory(base, "young-");
                long t0 = System.nanoTime();
                try (Store s = Store.open(dir, StoreOptions.defaults().withAllocator(a))) {
                    long t1 = System.nanoTime();
                    for (int i = 0; i < keys; i += every) {
                        try (WriteTxn w = s.beginWrite()) {
                            for (int j = i; j < Math.min(keys, i + every); j++) {
                                w.put("t", ByteBuffer.allocate(4).putInt(order[j]).array(), value);
                            }
                            w.commit();
                        }
                    }
                    long t2 = System.nanoTime();
                    rate[zero ? 1 : 0] = keys / ((t2 - t1) / 1e9);
                    System.out.printf("round %d %-14s open %6.1f ms  insert %9.0f keys/s  (%.2f ms/commit)%n", r,
                            zero ? "zero-filled" : "fallocate-only", (t1 - t0) / 1e6, rate[zero ? 1 : 0],
                            (t2 - t1) / 1e6 / (keys / (double) every));
                }
                try (var files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            if (r >= 0) {
                rates.add(rate);
            }
        }
        double[] ratios = rates.stream().mapToDouble(x -> x[1] / x[0]).sorted().toArray();
        System.out.printf("median zero-filled / fallocate-only = %.2fx  (per round:", ratios[ratios.length / 2]);
        rates.forEach(x -> System.out.printf(" %.2f", x[1] / x[0]));
        System.out.println(")");
    }

    private static SpaceAllocator standard() {
        return SpaceAllocator.zeroFilled();
    }

    private static SpaceAllocator fallocateOnly() {
        return SpaceAllocator.standard();
    }
}
