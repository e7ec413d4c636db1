package dev.blitdb.bench.storage;

import dev.blitdb.blittable.BlitWriter;
import dev.blitdb.storage.documents.DocumentCommand;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.documents.DatabaseStats;
import dev.blitdb.storage.engine.Limits;
import dev.blitdb.storage.engine.ReadTxn;
import dev.blitdb.storage.engine.Cursor;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The churn figure: the same N documents (about 1 KB of JSON each, random text) rewritten R times through the document store,
 * in durable batches of 500. Prints, after each round, the file size, the used pages and the live data (sum of
 * the document records' keys and values), and the ratio file size / live data (target ≤ 2).
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar
 * dev.blitdb.bench.storage.ChurnReport [documents] [rounds]}
 */
public final class ChurnReport {

    private ChurnReport() {
    }

    /** Random letters: incompressible enough that LZ4 inside the blittable keeps documents near 1 KB. */
    private static String text(Random rnd, int length) {
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = (char) ('a' + rnd.nextInt(26));
        }
        return new String(c);
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("blitdb.bench.dir", "/tmp")), "churn-");
        BlitWriter writer = new BlitWriter();
        Random rnd = new Random(1);
        long start = System.nanoTime();
        try (DocumentStore db = DocumentStore.open(dir, StoreOptions.defaults(), MergerOptions.defaults())) {
            System.out.printf("%-6s %14s %14s %14s %10s %10s%n", "round", "file bytes", "used bytes", "live bytes",
                    "file/live", "used/live");
            for (int round = 1; round <= rounds; round++) {
                for (int from = 0; from < n; from += 500) {
                    List<DocumentCommand> batch = new ArrayList<>();
                    for (int i = from; i < Math.min(n, from + 500); i++) {
                        String json = "{\"@metadata\":{\"@collection\":\"Users\"},\"Name\":\"user " + i
                                + "\",\"Round\":" + round + ",\"Bio\":\"" + text(rnd, 800 + rnd.nextInt(200)) + "\"}";
                        byte[] b = json.getBytes(StandardCharsets.UTF_8);
                        batch.add(new DocumentCommand.Put("users/" + i, writer.convert(b, 0, b.length).toByteArray(),
                                null));
                    }
                    db.batch(batch).join();
                }
                long live = 0;
                try (ReadTxn r = db.engine().beginRead()) {
                    Cursor c = r.cursor("docs");
                    for (boolean ok = c.first(); ok; ok = c.next()) {
                        live += c.keyLength() + c.value().byteSize();
                    }
                }
                DatabaseStats s = db.stats();
                long used = s.usedPages() * Limits.PAGE_SIZE;
                System.out.printf("%-6d %14d %14d %14d %10.2f %10.2f%n", round, s.fileBytes(), used, live,
                        (double) s.fileBytes() / live, (double) used / live);
            }
            System.out.printf("%d documents x %d rounds in %.1f s; merger %s%n", n, rounds,
                    (System.nanoTime() - start) / 1e9, db.merger().stats());
        } finally {
            KvPeer.deleteTree(dir);
        }
    }
}
