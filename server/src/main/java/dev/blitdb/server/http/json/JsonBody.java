package dev.blitdb.server.http.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Small JSON response bodies (write results, stats, lists) written with Jackson's generator, so escaping is never
 * hand-rolled. Documents never go through here: they stream from blittable (see {@code http.documents}).
 */
public final class JsonBody {

    public static final String CONTENT_TYPE = "application/json; charset=utf-8";
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonBody() {
    }

    /** Writes the body's content with a generator. */
    @FunctionalInterface
    public interface Content {
        void write(JsonGenerator json) throws IOException;
    }

    /** Sends {@code status} with the JSON {@code content} and a Content-Length, and ends the exchange. */
    public static void send(HttpServerExchange exchange, int status, Content content) throws IOException {
        var bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator json = FACTORY.createGenerator(bytes)) {
            content.write(json);
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, CONTENT_TYPE);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, bytes.size());
        if (exchange.isBlocking() && !exchange.isInIoThread()) {
            bytes.writeTo(exchange.getOutputStream());
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(ByteBuffer.wrap(bytes.toByteArray()));
        }
    }
}
