package dev.blitdb.server.http.errors;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error a handler answers with: thrown anywhere below a handler, turned into the JSON error body by
 * {@link ErrorResponder}. The message is shown to the client, so it says what was wrong and where.
 */
public final class ApiException extends RuntimeException {

    private final ApiError error;
    private final Map<String, Object> details = new LinkedHashMap<>();

    public ApiException(ApiError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public ApiException(ApiError error, String message, Throwable cause) {
        super(message, cause, false, false);
        this.error = error;
    }

    public ApiError error() {
        return error;
    }

    /**
     * Adds a field to the error body after {@code Type}, {@code Message} and {@code Url} (e.g. the expected and
     * actual change vectors of a conflict). Values are strings, numbers or null.
     */
    public ApiException with(String key, Object value) {
        if (value != null && !(value instanceof String) && !(value instanceof Number)) {
            throw new IllegalArgumentException("error detail " + key + " must be a string or a number");
        }
        details.put(key, value);
        return this;
    }

    /** The extra fields of the error body, in the order added. */
    public Map<String, Object> details() {
        return Collections.unmodifiableMap(details);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(ApiError.BAD_REQUEST, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(ApiError.NOT_FOUND, message);
    }
}
