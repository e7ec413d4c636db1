package dev.blitdb.blittable;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The measuring loop of the thread-CPU-time harnesses ({@link Lz4CompressCpuTime}, {@link Lz4DecodeCpuTime}):
 * every candidate warmed up with three rounds' worth of calls, then {@code rounds} alternating rounds of
 * {@code ops} calls each, timed with the thread's CPU clock (steadier than wall time on a shared machine).
 */
final class CpuTimeRounds {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static long sink;

    private CpuTimeRounds() {
    }

    /** The median round of each candidate, in CPU nanoseconds per call, in the candidates' order. */
    static Map<String, Double> medianNanosPerCall(Map<String, IntSupplier> candidates, int ops, int rounds) {
        for (IntSupplier c : candidates.values()) {
            for (int i = 0; i < ops * 3; i++) {
                sink += c.getAsInt();
            }
        }
        Map<String, double[]> perRound = new LinkedHashMap<>();
        candidates.keySet().forEach(k -> perRound.put(k, new double[rounds]));
        for (int r = 0; r < rounds; r++) {
            for (Map.Entry<String, IntSupplier> e : candidates.entrySet()) {
                IntSupplier c = e.getValue();
                long t = MX.getCurrentThreadCpuTime();
                for (int i = 0; i < ops; i++) {
                    sink += c.getAsInt();
                }
                perRound.get(e.getKey())[r] = (MX.getCurrentThreadCpuTime() - t) / (double) ops;
            }
        }
        if (sink == 42) { // keeps the results alive for the JIT
            System.out.println();
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        perRound.forEach((k, v) -> {
            double[] c = v.clone();
            Arrays.sort(c);
            medians.put(k, c[c.length / 2]);
        });
        return medians;
    }
}
