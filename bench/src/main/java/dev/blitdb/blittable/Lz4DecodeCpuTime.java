package dev.blitdb.blittable;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * {@link Lz4DecodeBenchmark}'s decoders measured in <b>thread CPU time</b> (steadier than wall time on this shared
 * machine): a warm-up, then seven alternating rounds of about 0.3 s of CPU per decoder; the median round is
 * reported as ns per string and MB/s of decoded output. Run:
 * {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.blitdb.blittable.Lz4DecodeCpuTime [dataDir]}.
 */
public final class Lz4DecodeCpuTime {
    private Lz4DecodeCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("| set | decoder | CPU ns/string | MB/s (CPU) | vs lz4-java safe |");
        System.out.println("|---|---|---|---|---|");
        for (String set : new String[] {"bio", "twitter", "repetitive"}) {
            Lz4DecodeBenchmark b = new Lz4DecodeBenchmark();
            b.set = set;
            b.dataDir = args.length > 0 ? args[0] : "../shared/data";
            b.setUp();
            int strings = b.strings();
            Map<String, IntSupplier> decoders = new LinkedHashMap<>();
            decoders.put("blitdb", b::blitdb);
            if (!Boolean.getBoolean("noHeap")) {
                decoders.put("blitdbHeap", b::blitdbHeap);
            }
            decoders.put("blitdbExact", b::blitdbExact);
            decoders.put("lz4javaSafeViaCopy (before)", b::lz4javaSafeViaCopy);
            decoders.put("lz4javaSafe", b::lz4javaSafe);
            decoders.put("lz4javaUnsafe", b::lz4javaUnsafe);
            decoders.put("lz4javaJni", b::lz4javaJni);
            // Ops per round: about 0.3 s of the slowest decoder at ~1 GB/s is plenty; fixed per set.
            int ops = (int) Math.max(20, 300_000_000L / Math.max(1, b.bytes));
            Map<String, Double> medians = CpuTimeRounds.medianNanosPerCall(decoders, ops, 7);
            double safe = medians.get("lz4javaSafe");
            for (Map.Entry<String, Double> e : medians.entrySet()) {
                double ns = e.getValue();
                System.out.printf("| %s | %s | %.0f | %.0f | %.2fx |%n", set, e.getKey(), ns / strings,
                        b.bytes / ns * 1e3, safe / ns);
            }
            b.tearDown();
        }
    }
}
