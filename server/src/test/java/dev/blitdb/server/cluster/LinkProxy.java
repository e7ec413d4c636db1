package dev.blitdb.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One direction of the Raft network between two nodes: a TCP proxy in the test JVM that node {@code from} dials
 * (its {@code --cluster} entry for {@code to} names this proxy's port) and that forwards to {@code to}'s real Raft
 * port. {@link #sever} drops every open connection and refuses new ones (closed at once after accept, as a
 * firewall that resets); {@link #heal} lets connections through again. gRPC carries requests AND answers on the
 * connection the caller opened, so cutting a node off means severing both directions of each of its links.
 */
final class LinkProxy implements AutoCloseable {

    private final String name;
    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean severed;
    private volatile boolean closed;

    LinkProxy(String name, int targetPort) throws IOException {
        this.name = name;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("proxy-" + name).start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            Socket in;
            try {
                in = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (severed) {
                closeQuietly(in);
                continue;
            }
            Socket out = new Socket();
            try {
                out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(in);
                closeQuietly(out);
                continue;
            }
            open.add(in);
            open.add(out);
            Thread.ofPlatform().daemon().name("proxy-" + name + "-up").start(() -> pump(in, out));
            Thread.ofPlatform().daemon().name("proxy-" + name + "-down").start(() -> pump(out, in));
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[64 << 10];
        try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
            for (int n; (n = i.read(buffer)) >= 0; ) {
                if (severed) {
                    break; // bytes read after the cut never arrive
                }
                o.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // one side went away: close both
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    /** Cuts the link: open connections are closed, new ones are closed right after accept. */
    void sever() {
        severed = true;
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    void heal() {
        severed = false;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        sever();
        try {
            listener.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
