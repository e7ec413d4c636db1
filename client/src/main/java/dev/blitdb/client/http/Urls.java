package dev.blitdb.client.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Encoding of path segments and query values the way the server decodes them. */
public final class Urls {

    private Urls() {
    }

    /** {@code s} percent-encoded for a query value or a path segment ({@code %20} for space, not {@code +}). */
    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code /databases/{db}} + {@code rest}. */
    public static String database(String database, String rest) {
        return "/databases/" + encode(database) + rest;
    }
}
