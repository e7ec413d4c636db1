package dev.blitdb.bench.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JMH comparisons run one engine's trials after the other's, so on a shared machine whose load changes minute
 * to minute the ratio mixes engine speed with load. This report measures both engines <em>alternately</em> in one
 * JVM — pass by pass, swapping which goes first — and gives the median of the per-round ratios, which the
 * changing load affects far less. Same workloads and peers as the JMH classes.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED
 * --add-opens java.base/sun.nio.ch=ALL-UNNAMED -cp bench/target/benchmarks.jar
 * dev.blitdb.bench.storage.PairedReport [entries] [rounds] [insertKeys]}
 */
public final class PairedReport {

    private PairedReport() {
    }

    public static void main(String[] args) throws Exception {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int insertKeys = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        Path base = Path.of(System.getProperty("blitdb.bench.dir", "/tmp"));
        System.out.printf("entries=%d rounds=%d insertKeys=%d%n", entries, rounds, insertKeys);
        for (int keySize : new int[]{4, 16}) {
            for (int valueSize : new int[]{100, 2048}) {
                reads(base, entries, rounds, keySize, valueSize);
            }
        }
        for (int keySize : new int[]{4, 16}) {
            for (int valueSize : new int[]{100, 2048}) {
                inserts(base, insertKeys, Math.max(3, rounds / 2), keySize, valueSize);
            }
        }
    }

    private static void reads(Path base, int entries, int rounds, int keySize, int valueSize) throws Exception {
        Path bDir = Files.createTempDirectory(base, "paired-blit-");
        Path lDir = Files.createTempDirectory(base, "paired-lmdb-");
        byte[] value = KvPeer.value(valueSize);
        int[] order = KvPeer.shuffled(entries, 42);
        try (KvPeer blit = KvPeer.open("blitdb", bDir); KvPeer lmdb = KvPeer.open("lmdb", lDir)) {
            blit.load(entries, keySize, value);
            lmdb.load(entries, keySize, value);
            List<double[]> get = new ArrayList<>();
            List<double[]> scan = new ArrayList<>();
            for (int r = -2; r < rounds; r++) { // two warm-up rounds
                boolean blitFirst = (r & 1) == 0;
                double[] g = new double[2];
                double[] s = new double[2];
                for (int turn = 0; turn < 2; turn++) {
                    boolean isBlit = (turn == 0) == blitFirst;
                    KvPeer kv = isBlit ? blit : lmdb;
                    long t0 = System.nanoTime();
                    long sum = kv.readAll(order, keySize);
                    long t1 = System.nanoTime();
                    sum += kv.scan();
                    long t2 = System.nanoTime();
                    if (sum == 42) {
                        System.out.print("");
                    }
                    g[isBlit ? 0 : 1] = entries / ((t1 - t0) / 1e9);
                    s[isBlit ? 0 : 1] = entries / ((t2 - t1) / 1e9);
                }
                if (r >= 0) {
                    get.add(g);
                    scan.add(s);
                }
            }
            print("randomGet", keySize, valueSize, get, "ops/s");
            print("scan", keySize, valueSize, scan, "ops/s");
        } finally {
            KvPeer.deleteTree(bDir);
            KvPeer.deleteTree(lDir);
        }
    }

    private static void inserts(Path base, int keys, int rounds, int keySize, int valueSize) throws Exception {
        byte[] value = KvPeer.value(valueSize);
        int[] order = KvPeer.shuffled(keys, 7);
        List<double[]> results = new ArrayList<>();
        for (int r = -1; r < rounds; r++) { // one warm-up round
            boolean blitFirst = (r & 1) == 0;
            double[] x = new double[2];
            for (int turn = 0; turn < 2; turn++) {
                boolean isBlit = (turn == 0) == blitFirst;
                Path dir = Files.createTempDirectory(base, "paired-insert-");
                try (KvPeer kv = KvPeer.open(isBlit ? "blitdb" : "lmdb", dir)) {
                    long t0 = System.nanoTime();
                    kv.insertDurable(order, keySize, value, 1000);
                    x[isBlit ? 0 : 1] = keys / ((System.nanoTime() - t0) / 1e9);
                } finally {
                    KvPeer.deleteTree(dir);
                }
            }
            if (r >= 0) {
                results.add(x);
            }
        }
        print("insertCommitEvery1000", keySize, valueSize, results, "keys/s");
    }

    private static void print(String what, int keySize, int valueSize, List<double[]> rows, String unit) {
        double[] blit = rows.stream().mapToDouble(a -> a[0]).toArray();
        double[] lmdb = rows.stream().mapToDouble(a -> a[1]).toArray();
        double[] ratio = rows.stream().mapToDouble(a -> a[0] / a[1]).toArray();
        System.out.printf("%-22s key=%-2d value=%-4d blitdb median %,.0f %s | lmdb median %,.0f %s | "
                        + "BlitDB/LMDB median of per-round ratios %.2fx (rounds: %s)%n", what, keySize, valueSize,
                median(blit), unit, median(lmdb), unit, median(ratio), fmt(ratio));
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String fmt(double[] a) {
        StringBuilder b = new StringBuilder();
        for (double d : a) {
            b.append(b.isEmpty() ? "" : " ").append(String.format("%.2f", d));
        }
        return b.toString();
    }
}
