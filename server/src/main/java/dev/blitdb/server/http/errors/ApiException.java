package dev.blitdb.server.http.errors;

/**
 * An error a handler answers with: thrown anywhere below a handler, turned into the JSON error body by
 * {@link ErrorResponder}. The message is shown to the client, so it says what was wrong and where.
 */
public final class ApiException extends RuntimeException {

    private final ApiError error;

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

    public static ApiException badRequest(String message) {
        return new ApiException(ApiError.BAD_REQUEST, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(ApiError.NOT_FOUND, message);
    }
}
