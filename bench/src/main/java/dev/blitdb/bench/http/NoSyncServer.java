package dev.blitdb.bench.http;

import dev.blitdb.server.BlitDbServer;
import dev.blitdb.server.config.ServerConfig;
import dev.blitdb.storage.engine.Durability;
import dev.blitdb.storage.engine.StoreOptions;

import java.nio.file.Path;
import java.util.List;

/**
 * The BlitDB server with commits that do not fsync — for benchmarks only, to measure what the HTTP layer,
 * conversion and the merger can do when the disk's sync latency is taken out. Never for data you keep.
 * {@code java -cp benchmarks.jar dev.blitdb.bench.http.NoSyncServer 18086 /tmp/nosync-data}
 */
public final class NoSyncServer {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path data = Path.of(args[1]);
        var server = BlitDbServer.start(new ServerConfig("127.0.0.1", port, data, false),
                StoreOptions.defaults().withDurability(Durability.NO_SYNC), List.of(), List.of());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("BlitDB WITHOUT fsync (benchmark only) on " + server.url());
    }

    private NoSyncServer() {
    }
}
