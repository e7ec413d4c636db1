package dev.blitdb.blittable;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * {@link Lz4CompressBenchmark}'s compressors measured in <b>thread CPU time</b> (steadier than wall time on this
 * shared machine): a warm-up, then seven alternating rounds; the median round is reported as ns per string and
 * MB/s of input. Run:
 * {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.blitdb.blittable.Lz4CompressCpuTime [dataDir]}.
 */
public final class Lz4CompressCpuTime {
    private Lz4CompressCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("| set | compressor | CPU ns/string | MB/s (CPU) | vs lz4-java unsafe |");
        System.out.println("|---|---|---|---|---|");
        for (String set : new String[] {"bio", "twitter", "random"}) {
            Lz4CompressBenchmark b = new Lz4CompressBenchmark();
            b.set = set;
            b.dataDir = args.length > 0 ? args[0] : "../shared/data";
            b.setUp();
            int strings = b.strings();
            Map<String, IntSupplier> compressors = new LinkedHashMap<>();
            compressors.put("blitdb", b::blitdb);
            compressors.put("lz4javaSafe", b::lz4javaSafe);
            compressors.put("lz4javaUnsafe", b::lz4javaUnsafe);
            compressors.put("lz4javaJni", b::lz4javaJni);
            int ops = (int) Math.max(20, 200_000_000L / Math.max(1, b.bytes));
            Map<String, Double> medians = CpuTimeRounds.medianNanosPerCall(compressors, ops, 7);
            double unsafe = medians.get("lz4javaUnsafe");
            for (Map.Entry<String, Double> e : medians.entrySet()) {
                double ns = e.getValue();
                System.out.printf("| %s | %s | %.0f | %.0f | %.2fx |%n", set, e.getKey(), ns / strings,
                        b.bytes / ns * 1e3, unsafe / ns);
            }
        }
    }
}
