package dev.blitdb.client.http;

import java.net.http.HttpHeaders;

/** A successful answer (2xx, 304, or a 404 the call allowed): status, headers and the whole body. */
public record HttpResult(int status, HttpHeaders headers, byte[] body) {

    /** Whether the server answered 404 (only for calls that allow it). */
    public boolean notFound() {
        return status == 404;
    }

    /** The {@code ETag} header without its quotes (a change vector), or null. */
    public String etag() {
        return headers.firstValue("ETag").map(t -> t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")
                ? t.substring(1, t.length() - 1) : t).orElse(null);
    }
}
