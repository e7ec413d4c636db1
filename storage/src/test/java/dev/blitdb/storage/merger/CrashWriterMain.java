package dev.blitdb.storage.merger;

import dev.blitdb.storage.engine.Store;
import dev.blitdb.storage.engine.StoreOptions;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * The child JVM of {@link CrashTest}: writes continuously through the merger from several threads until it is
 * killed. Each put stores a key in tree "primary" (a value derived from the key) and its length and CRC in tree
 * "index", in one operation. A line is printed only after the operation's future completed (the commit is
 * durable): {@code PUT key OK}, {@code DELQ key OK} before a delete is submitted, {@code DEL key OK} after it is
 * durable.
 */
public final class CrashWriterMain {

    private CrashWriterMain() {
    }

    static byte[] valueFor(String key) {
        Random r = new Random(key.hashCode() * 31L + key.length());
        int pick = r.nextInt(100);
        int len = pick < 80 ? 10 + r.nextInt(500) : pick < 95 ? 2000 + r.nextInt(7000) : 20_000 + r.nextInt(100_000);
        byte[] v = new byte[len];
        r.nextBytes(v);
        return v;
    }

    static byte[] indexEntry(byte[] value) {
        CRC32 crc = new CRC32();
        crc.update(value);
        return ByteBuffer.allocate(12).putInt(value.length).putLong(crc.getValue()).array();
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String round = args[1];
        int threads = Integer.parseInt(args[2]);
        Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(4 << 20));
        TransactionMerger merger = new TransactionMerger(store);
        System.out.println("READY " + round + " OK");
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(Thread.ofPlatform().start(() -> {
                Random rnd = new Random(round.hashCode() * 17L + thread);
                List<String> mine = new ArrayList<>();
                for (long seq = 0; ; seq++) {
                    try {
                        if (!mine.isEmpty() && rnd.nextInt(5) == 0) {
                            String key = mine.remove(rnd.nextInt(mine.size()));
                            System.out.println("DELQ " + key + " OK");
                            merger.submit(txn -> {
                                txn.delete("primary", key.getBytes());
                                txn.delete("index", key.getBytes());
                                return key;
                            }).get();
                            System.out.println("DEL " + key + " OK");
                        } else {
                            String key = "r" + round + "-t" + thread + "-" + seq;
                            byte[] value = valueFor(key);
                            merger.submit(txn -> {
                                txn.put("primary", key.getBytes(), value);
                                txn.put("index", key.getBytes(), indexEntry(value));
                                return key;
                            }, value.length).get();
                            mine.add(key);
                            System.out.println("PUT " + key + " OK");
                        }
                    } catch (Exception e) {
                        System.out.println("ERROR " + e + " OK");
                        return;
                    }
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
    }
}
