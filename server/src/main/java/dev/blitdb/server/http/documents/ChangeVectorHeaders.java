package dev.blitdb.server.http.documents;

import dev.blitdb.server.http.errors.ApiException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * Change vectors in HTTP headers. {@code ETag} carries the document's change vector as a quoted entity tag
 * ({@code "A:12-Xy…"}); {@code If-Match} and {@code If-None-Match} are accepted quoted or bare.
 *
 * <p>{@code If-Match: ""} (an empty tag) means "the document must not exist yet"; {@code If-Match} absent means
 * "don't care". {@code If-Match: *} is refused: the store cannot express "must exist, any version".
 */
final class ChangeVectorHeaders {

    private ChangeVectorHeaders() {
    }

    static void setETag(HttpServerExchange exchange, String changeVector) {
        exchange.getResponseHeaders().put(Headers.ETAG, quoted(changeVector));
    }

    /** The {@code ETag} value of a change vector: the vector as a quoted entity tag. */
    static String quoted(String changeVector) {
        return "\"" + changeVector + "\"";
    }

    /** The expected change vector of a write: null = don't care, "" = must not exist, else must match. */
    static String expected(HttpServerExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst(Headers.IF_MATCH);
        if (value == null) {
            return null;
        }
        String tag = unquote(value.trim());
        if (tag.equals("*")) {
            throw ApiException.badRequest("If-Match: * is not supported; give the change vector the write expects, "
                    + "or \"\" for a document that must not exist yet");
        }
        return tag;
    }

    /** Whether {@code If-None-Match} names {@code changeVector} (or is {@code *}): the client's copy is current. */
    static boolean notModified(HttpServerExchange exchange, String changeVector) {
        String value = exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH);
        return value != null && matches(value, changeVector);
    }

    /** Whether an {@code If-None-Match} value names {@code changeVector} (or is {@code *}). */
    static boolean matches(String ifNoneMatch, String changeVector) {
        for (String part : ifNoneMatch.split(",")) {
            String tag = unquote(part.trim());
            if (tag.equals("*") || tag.equals(changeVector)) {
                return true;
            }
        }
        return false;
    }

    private static String unquote(String tag) {
        String t = tag.startsWith("W/") ? tag.substring(2) : tag;
        if (t.length() >= 2 && t.charAt(0) == '"' && t.charAt(t.length() - 1) == '"') {
            return t.substring(1, t.length() - 1);
        }
        return t;
    }
}
