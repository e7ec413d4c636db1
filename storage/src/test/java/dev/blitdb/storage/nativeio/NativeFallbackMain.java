package dev.blitdb.storage.nativeio;

import dev.blitdb.storage.engine.ReadTxn;
import dev.blitdb.storage.engine.Store;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.engine.WriteTxn;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child JVM of {@link NativeFallbackTest}, started without native access: prints what NativeIo reports, then uses
 * a store so every fallback path runs (growth by writing zeros, skipped madvise, no thread id).
 */
public final class NativeFallbackMain {

    public static void main(String[] args) throws Exception {
        NativeIo nio = NativeIo.get();
        nio.unavailable().forEach((name, reason) -> System.out.println("UNAVAILABLE " + name + " :: " + reason));
        System.out.println("GETTID " + nio.gettid().isPresent());
        Path dir = Path.of(args[0]);
        long growth = 16 * 4096;
        try (Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(growth))) {
            for (int i = 0; i < 40; i++) {
                try (WriteTxn w = store.beginWrite()) {
                    w.put("t", ("k" + i).getBytes(), new byte[3000]); // grows the file past several steps
                    w.commit();
                }
            }
            try (ReadTxn r = store.beginRead()) {
                r.prefetch(r.get("t", "k7".getBytes()));
            }
            store.prefetchPages(0, 8);
            store.verify();
            System.out.println("FILE " + Files.size(store.file()) + " " + store.stats().usedPages());
            System.out.println("ADVICE " + store.adviceStats());
        }
        try (Store store = Store.open(dir, StoreOptions.defaults().withMinGrowth(growth))) {
            store.verify();
            try (ReadTxn r = store.beginRead()) {
                System.out.println("REOPENED " + r.count("t"));
            }
        }
    }
}
