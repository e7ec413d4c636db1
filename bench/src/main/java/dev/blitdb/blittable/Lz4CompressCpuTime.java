package dev.blitdb.blittable;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
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
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
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
            long sink = 0;
            int ops = (int) Math.max(20, 200_000_000L / Math.max(1, b.bytes));
            for (IntSupplier c : compressors.values()) {
                for (int i = 0; i < ops * 3; i++) {
                    sink += c.getAsInt();
                }
            }
            Map<String, double[]> rounds = new LinkedHashMap<>();
            compressors.keySet().forEach(k -> rounds.put(k, new double[7]));
            for (int r = 0; r < 7; r++) {
                for (Map.Entry<String, IntSupplier> e : compressors.entrySet()) {
                    IntSupplier c = e.getValue();
                    long t = mx.getCurrentThreadCpuTime();
                    for (int i = 0; i < ops; i++) {
                        sink += c.getAsInt();
                    }
                    rounds.get(e.getKey())[r] = (mx.getCurrentThreadCpuTime() - t) / (double) ops;
                }
            }
            double unsafe = median(rounds.get("lz4javaUnsafe"));
            for (Map.Entry<String, double[]> e : rounds.entrySet()) {
                double ns = median(e.getValue());
                System.out.printf("| %s | %s | %.0f | %.0f | %.2fx |%n", set, e.getKey(), ns / strings,
                        b.bytes / ns * 1e3, unsafe / ns);
            }
            if (sink == 42) {
                System.out.println();
            }
        }
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
