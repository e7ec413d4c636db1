package dev.blitdb.bench.storage;

import dev.blitdb.storage.engine.Cursor;
import dev.blitdb.storage.engine.Durability;
import dev.blitdb.storage.engine.ReadTxn;
import dev.blitdb.storage.engine.Store;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.engine.WriteTxn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** BlitDB's engine as a {@link KvPeer}. */
final class BlitKv implements KvPeer {

    private static final String TREE = "bench";
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    private final Path dir;
    private Store store;
    private final MemorySegment key = Arena.ofAuto().allocate(16);
    private final ByteBuffer keyBuffer = key.asByteBuffer().order(ByteOrder.BIG_ENDIAN);

    BlitKv(Path dir) throws Exception {
        this.dir = dir;
        this.store = Store.open(dir, StoreOptions.defaults().withMinGrowth(256L << 20));
    }

    @Override
    public void load(int n, int keySize, byte[] value) throws Exception {
        store.close();
        Store bulk = Store.open(dir, StoreOptions.defaults().withMinGrowth(256L << 20)
                .withDurability(Durability.NO_SYNC));
        MemorySegment v = MemorySegment.ofArray(value);
        MemorySegment k = key.asSlice(0, keySize);
        try (WriteTxn w = bulk.beginWrite()) {
            for (int i = 0; i < n; i++) {
                KvPeer.writeKey(keyBuffer, i, keySize);
                w.put(TREE, k, v);
            }
            w.commit();
        }
        bulk.close();
        store = Store.open(dir, StoreOptions.defaults().withMinGrowth(256L << 20));
    }

    @Override
    public long readAll(int[] order, int keySize) {
        long sum = 0;
        MemorySegment k = key.asSlice(0, keySize);
        try (ReadTxn r = store.beginRead()) {
            for (int i : order) {
                KvPeer.writeKey(keyBuffer, i, keySize);
                sum += r.get(TREE, k).get(LONG, 0);
            }
        }
        return sum;
    }

    @Override
    public long scan() {
        long sum = 0;
        try (ReadTxn r = store.beginRead()) {
            Cursor c = r.cursor(TREE);
            for (boolean ok = c.first(); ok; ok = c.next()) {
                sum += c.value().get(LONG, 0);
            }
        }
        return sum;
    }

    @Override
    public void insertDurable(int[] order, int keySize, byte[] value, int batch) {
        MemorySegment v = MemorySegment.ofArray(value);
        MemorySegment k = key.asSlice(0, keySize);
        for (int start = 0; start < order.length; start += batch) {
            try (WriteTxn w = store.beginWrite()) {
                for (int i = start; i < Math.min(order.length, start + batch); i++) {
                    KvPeer.writeKey(keyBuffer, order[i], keySize);
                    w.put(TREE, k, v);
                }
                w.commit();
            }
        }
    }

    Store store() {
        return store;
    }

    @Override
    public void close() throws Exception {
        store.close();
    }
}
