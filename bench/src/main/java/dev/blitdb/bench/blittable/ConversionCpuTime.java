package dev.blitdb.bench.blittable;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonFactory;
import dev.blitdb.blittable.BlitWriter;

/**
 * Conversion vs the Jackson parse loop measured in <b>thread CPU time</b> rather than wall time: on a shared,
 * overloaded machine the CPU time a thread actually gets per document is far steadier than wall-clock throughput.
 * A supplement to {@link ConversionBenchmark}, not a replacement (no JMH harness: warm-up is 300 rounds, then five
 * alternating rounds of {@code n} documents each; the median round is reported). Run:
 * {@code java -cp bench/target/benchmarks.jar dev.blitdb.bench.blittable.ConversionCpuTime [dataDir] [n]}.
 */
public final class ConversionCpuTime {
    private ConversionCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        String dir = args.length > 0 ? args[0] : Corpus.DEFAULT_DIR;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        JsonFactory factory = new JsonFactory();
        System.out.println("| corpus | blit CPU µs/doc | blit MB/s (CPU) | jackson CPU µs/doc | jackson MB/s (CPU) | ratio |");
        System.out.println("|---|---|---|---|---|---|");
        for (String file : new String[] {"twitter.json", "citm_catalog.json", "canada.json"}) {
            byte[] json = Corpus.read(dir, file);
            BlitWriter writer = new BlitWriter();
            long sink = 0;
            for (int i = 0; i < 300; i++) {
                sink += writer.convert(json, 0, json.length).length();
                sink += ConversionBenchmark.jacksonParse(factory, json);
            }
            double[] blit = new double[5];
            double[] jackson = new double[5];
            for (int r = 0; r < 5; r++) {
                long t = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    sink += writer.convert(json, 0, json.length).length();
                }
                blit[r] = (mx.getCurrentThreadCpuTime() - t) / (double) n;
                t = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    sink += ConversionBenchmark.jacksonParse(factory, json);
                }
                jackson[r] = (mx.getCurrentThreadCpuTime() - t) / (double) n;
            }
            Arrays.sort(blit);
            Arrays.sort(jackson);
            double b = blit[2];
            double j = jackson[2];
            System.out.printf("| %s | %.0f | %.0f | %.0f | %.0f | %.2f |%n", file, b / 1e3, json.length / b * 1e3,
                    j / 1e3, json.length / j * 1e3, j / b);
            if (sink == 42) {
                System.out.println(); // keeps the work observable
            }
        }
    }
}
