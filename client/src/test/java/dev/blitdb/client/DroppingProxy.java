package dev.blitdb.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a real server that cuts the next {@code n} connections after reading a request's
 * first bytes, without answering — what a client sees when a pooled keep-alive connection was closed by a
 * restart or a middlebox. Other connections are piped through untouched.
 */
final class DroppingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final URI target;
    private final AtomicInteger toDrop = new AtomicInteger();
    final AtomicInteger dropped = new AtomicInteger();

    DroppingProxy(String targetUrl) throws IOException {
        this.target = URI.create(targetUrl);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::acceptLoop);
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Closes every connection piped so far, and cuts the next {@code n} new ones. */
    void dropNext(int n) throws IOException {
        toDrop.set(n);
        for (Socket s : open) {
            s.close();
        }
        open.clear();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (toDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    client.getInputStream().read(new byte[64]);
                    dropped.incrementAndGet();
                    client.setSoLinger(true, 0); // a reset, as a dead peer gives
                    client.close();
                    continue;
                }
                open.add(client);
                Socket server = new Socket(target.getHost(), target.getPort());
                pipe(client.getInputStream(), server.getOutputStream(), server);
                pipe(server.getInputStream(), client.getOutputStream(), client);
            } catch (IOException e) {
                // listener closed, or one connection failed: keep serving the others
            }
        }
    }

    private static void pipe(InputStream in, OutputStream out, Socket closeAfter) {
        daemon(() -> {
            byte[] buffer = new byte[16 << 10];
            try (in; out) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // either side closed
            } finally {
                try {
                    closeAfter.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        });
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task);
        thread.setDaemon(true);
        thread.start();
    }
}
