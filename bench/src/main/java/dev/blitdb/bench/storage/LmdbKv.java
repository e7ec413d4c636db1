package dev.blitdb.bench.storage;

import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** LMDB through lmdbjava 0.9.3 as a {@link KvPeer}: default flags, so every commit is durable (fdatasync). */
final class LmdbKv implements KvPeer {

    private static final long MAP_SIZE = 16L << 30;

    private final Path dir;
    private Env<ByteBuffer> env;
    private Dbi<ByteBuffer> dbi;
    private final ByteBuffer key = ByteBuffer.allocateDirect(16).order(ByteOrder.BIG_ENDIAN);
    private ByteBuffer val;

    LmdbKv(Path dir) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir);
        openEnv();
    }

    private void openEnv(EnvFlags... flags) {
        env = Env.create().setMapSize(MAP_SIZE).setMaxDbs(1).setMaxReaders(256).open(dir.toFile(), flags);
        dbi = env.openDbi("bench", DbiFlags.MDB_CREATE);
    }

    private void ensureValue(byte[] value) {
        if (val == null || val.capacity() != value.length) {
            val = ByteBuffer.allocateDirect(value.length);
            val.put(value).flip();
        }
    }

    @Override
    public void load(int n, int keySize, byte[] value) {
        env.close();
        openEnv(EnvFlags.MDB_NOSYNC);
        ensureValue(value);
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            for (int i = 0; i < n; i++) {
                KvPeer.writeKey(key, i, keySize);
                key.limit(keySize).position(0);
                dbi.put(txn, key, val);
            }
            txn.commit();
        }
        env.sync(true);
        env.close();
        openEnv();
    }

    @Override
    public long readAll(int[] order, int keySize) {
        long sum = 0;
        try (Txn<ByteBuffer> txn = env.txnRead()) {
            for (int i : order) {
                KvPeer.writeKey(key, i, keySize);
                key.limit(keySize).position(0);
                ByteBuffer v = dbi.get(txn, key);
                sum += v.getLong(0);
            }
        }
        return sum;
    }

    @Override
    public long scan() {
        long sum = 0;
        try (Txn<ByteBuffer> txn = env.txnRead(); Cursor<ByteBuffer> c = dbi.openCursor(txn)) {
            for (boolean ok = c.first(); ok; ok = c.next()) {
                sum += c.val().getLong(0);
            }
        }
        return sum;
    }

    @Override
    public void insertDurable(int[] order, int keySize, byte[] value, int batch) {
        ensureValue(value);
        for (int start = 0; start < order.length; start += batch) {
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                for (int i = start; i < Math.min(order.length, start + batch); i++) {
                    KvPeer.writeKey(key, order[i], keySize);
                    key.limit(keySize).position(0);
                    dbi.put(txn, key, val);
                }
                txn.commit();
            }
        }
    }

    @Override
    public void close() {
        env.close();
    }
}
