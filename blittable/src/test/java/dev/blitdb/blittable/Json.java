package dev.blitdb.blittable;

import java.nio.charset.StandardCharsets;

/** Small conversions used across tests. */
final class Json {
    private Json() {
    }

    static byte[] blit(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return new BlitWriter().convert(b, 0, b.length).toByteArray();
    }

    static BlitDocument doc(String json) {
        return new BlitDocument().wrap(blit(json)).validate();
    }

    static String text(BlitDocument doc) {
        return new String(BlitJsonWriter.toJson(doc, true), StandardCharsets.UTF_8);
    }

    static String sorted(BlitDocument doc) {
        return new String(BlitJsonWriter.toJson(doc, false), StandardCharsets.UTF_8);
    }

    static BlitDocument copyOf(BlitBuilder b) {
        return new BlitDocument().wrap(b.toByteArray()).validate();
    }
}
