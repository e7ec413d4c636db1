package dev.blitdb.client.http;

import java.util.Map;

/**
 * One request the client sends: method, path below the server URL (query string included, already encoded),
 * an optional JSON body and extra headers.
 *
 * @param idempotent   whether sending it twice has the effect of sending it once, so it may be retried once on
 *                     a dropped connection (GET, HEAD, PUT/DELETE of one id, queries, hi-lo — a retried hi-lo
 *                     reservation only leaves a gap, never a repeat); {@code bulk_docs} is not: a retry after a
 *                     commit whose answer was lost would fail with a false conflict or write twice
 * @param allowNotFound whether a 404 {@code NotFound} answer is a normal outcome returned to the caller (load
 *                     of a missing id) rather than an error
 */
public record HttpCall(String method, String path, byte[] body, Map<String, String> headers, boolean idempotent,
                       boolean allowNotFound) {

    /** A GET of {@code path}, idempotent, 404 returned as a response. */
    public static HttpCall get(String path) {
        return new HttpCall("GET", path, null, Map.of(), true, true);
    }

    /** A request with a JSON body (or none); 404 is an error. */
    public static HttpCall of(String method, String path, byte[] body, boolean idempotent) {
        return new HttpCall(method, path, body, Map.of(), idempotent, false);
    }

    /** This call with one more header. */
    public HttpCall withHeader(String name, String value) {
        var all = new java.util.LinkedHashMap<>(headers);
        all.put(name, value);
        return new HttpCall(method, path, body, Map.copyOf(all), idempotent, allowNotFound);
    }
}
