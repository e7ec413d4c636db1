package dev.blitdb.bench.http;

import io.undertow.Undertow;
import io.undertow.util.Headers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP ceiling for document GETs: Undertow answering every request with the same constant JSON body of
 * the given size from the IO thread. {@code java -cp benchmarks.jar dev.blitdb.bench.http.BareUndertowServer
 * 8081 1024}
 */
public final class BareUndertowServer {

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8081;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        StringBuilder json = new StringBuilder("{\"Name\":\"constant\",\"Bio\":\"");
        while (json.length() < size - 2) {
            json.append('x');
        }
        json.append("\"}");
        ByteBuffer body = ByteBuffer.allocateDirect(json.length());
        body.put(json.toString().getBytes(StandardCharsets.UTF_8)).flip();
        int cores = Runtime.getRuntime().availableProcessors();
        Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setIoThreads(Math.max(2, cores))
                .setHandler(exchange -> {
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                    exchange.getResponseSender().send(body.duplicate());
                })
                .build()
                .start();
        System.out.println("bare Undertow on http://127.0.0.1:" + port + " serving " + json.length() + " bytes");
    }

    private BareUndertowServer() {
    }
}
