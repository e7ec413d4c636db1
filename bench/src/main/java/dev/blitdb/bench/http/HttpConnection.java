package dev.blitdb.bench.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * One keep-alive HTTP/1.1 connection that sends pre-built requests and reads whole responses (Content-Length
 * or chunked) without interpreting them beyond the status. Built for load generation: nothing is allocated per
 * request but the request bytes the caller passes.
 */
final class HttpConnection implements AutoCloseable {

    private final InetSocketAddress address;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final byte[] line = new byte[8192];
    private final byte[] skip = new byte[64 << 10];

    HttpConnection(InetSocketAddress address) {
        this.address = address;
    }

    /** Sends {@code request} and returns the response status; reconnects once if the server closed the socket. */
    int exchange(byte[] request) throws IOException {
        if (socket == null) {
            connect();
        }
        try {
            return send(request);
        } catch (IOException closed) {
            close();
            connect();
            return send(request);
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, 5_000);
        socket.setSoTimeout(60_000);
        in = new BufferedInputStream(socket.getInputStream(), 64 << 10);
        out = socket.getOutputStream();
    }

    private int send(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        int n = readLine();
        if (n < 12) {
            throw new IOException("connection closed or bad status line");
        }
        int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        long contentLength = -1;
        boolean chunked = false;
        boolean close = false;
        while ((n = readLine()) > 0) {
            if (startsWithIgnoreCase(n, "content-length:")) {
                contentLength = Long.parseLong(new String(line, 15, n - 15, java.nio.charset.StandardCharsets.US_ASCII).trim());
            } else if (startsWithIgnoreCase(n, "transfer-encoding:") && containsIgnoreCase(n, "chunked")) {
                chunked = true;
            } else if (startsWithIgnoreCase(n, "connection:") && containsIgnoreCase(n, "close")) {
                close = true;
            }
        }
        if (chunked) {
            while (true) {
                int len = readLine();
                long size = Long.parseLong(new String(line, 0, len, java.nio.charset.StandardCharsets.US_ASCII)
                        .split(";")[0].trim(), 16);
                if (size == 0) {
                    while (readLine() > 0) {
                        // trailers
                    }
                    break;
                }
                skipBytes(size);
                readLine();
            }
        } else if (contentLength > 0) {
            skipBytes(contentLength);
        }
        if (close) {
            close();
        }
        return status;
    }

    private void skipBytes(long count) throws IOException {
        long left = count;
        while (left > 0) {
            int n = in.read(skip, 0, (int) Math.min(skip.length, left));
            if (n < 0) {
                throw new IOException("connection closed inside a body");
            }
            left -= n;
        }
    }

    /** Reads one CRLF-terminated line into {@link #line}; returns its length without the CRLF. */
    private int readLine() throws IOException {
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return n == 0 ? -1 : n;
            }
            if (b == '\n') {
                return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
            }
            if (n < line.length) {
                line[n++] = (byte) b;
            }
        }
    }

    private boolean startsWithIgnoreCase(int length, String prefix) {
        if (length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.toLowerCase((char) line[i]) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean containsIgnoreCase(int length, String word) {
        return new String(line, 0, length, java.nio.charset.StandardCharsets.US_ASCII).toLowerCase().contains(word);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a connection we are done with
            }
            socket = null;
        }
    }
}
