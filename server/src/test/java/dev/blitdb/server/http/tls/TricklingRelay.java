package dev.blitdb.server.http.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay that passes what clients send to the server in small pieces of random size, each its own
 * TCP segment, with short pauses: the server's reads then end inside TLS records, mid-header and mid-body, and a
 * record is completed by a later read. The server's answers pass through unchanged.
 */
final class TricklingRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    TricklingRelay(int target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("trickling-relay").start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        long seed = 1;
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.setTcpNoDelay(true); // each piece leaves as its own segment
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
                sockets.add(client);
                sockets.add(server);
                Random random = new Random(seed++);
                Thread.ofPlatform().daemon().start(() -> trickle(client, server, random));
                Thread.ofPlatform().daemon().start(() -> copy(server, client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void trickle(Socket from, Socket to, Random random) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buffer = new byte[8192];
            int n;
            int pieces = 0;
            while ((n = in.read(buffer)) > 0) {
                for (int at = 0; at < n; ) {
                    int piece = Math.min(n - at, 1 + random.nextInt(random.nextBoolean() ? 7 : 700));
                    out.write(buffer, at, piece);
                    out.flush();
                    at += piece;
                    if (++pieces % 8 == 0) {
                        Thread.sleep(1); // let the server read what came so far
                    }
                }
            }
            to.shutdownOutput();
        } catch (IOException | InterruptedException e) {
            // a side closed: the test's own assertions say what went wrong
        }
    }

    private static void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // a side closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        try {
            acceptor.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
