package dev.blitdb.server.http.errors;

/**
 * The one place that decides which status an exception from a lower layer stands for. Lower modules know
 * nothing of HTTP; their exception types are mapped here as they arrive.
 */
public final class ExceptionMapping {

    private ExceptionMapping() {
    }

    public static ApiException toApiException(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof ApiException api) {
            return api;
        }
        if (t instanceof StackOverflowError) {
            return new ApiException(ApiError.BAD_REQUEST, "the request is nested too deeply to process", t);
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName()
                : t.getClass().getSimpleName() + ": " + t.getMessage();
        return new ApiException(ApiError.INTERNAL, message, t);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
