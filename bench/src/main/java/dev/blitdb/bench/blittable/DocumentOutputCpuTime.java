package dev.blitdb.bench.blittable;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link DocumentOutputBenchmark} in <b>thread CPU time</b> (steadier than wall time on this shared machine): a
 * warm-up, then seven rounds of 200,000 writes per document; the median round is reported in ns per document. Run:
 * {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.blitdb.bench.blittable.DocumentOutputCpuTime}.
 */
public final class DocumentOutputCpuTime {
    private DocumentOutputCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.println("| document | CPU ns/write (median of 7) | min | max |");
        System.out.println("|---|---|---|---|");
        for (String doc : new String[] {"pg", "repetitive"}) {
            DocumentOutputBenchmark b = new DocumentOutputBenchmark();
            b.doc = doc;
            b.setUp();
            long sink = 0;
            int n = 200_000;
            for (int i = 0; i < n * 2; i++) {
                sink += b.writeJson();
            }
            double[] rounds = new double[7];
            for (int r = 0; r < rounds.length; r++) {
                long t = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    sink += b.writeJson();
                }
                rounds[r] = (mx.getCurrentThreadCpuTime() - t) / (double) n;
            }
            Arrays.sort(rounds);
            System.out.printf("| %s | %.0f | %.0f | %.0f |%n", doc, rounds[3], rounds[0], rounds[6]);
            b.tearDown();
            if (sink == 42) {
                System.out.println();
            }
        }
    }
}
