package dev.blitdb.server.http.errors;

/**
 * Every kind of error the HTTP API answers with: the status and the {@code Type} of the JSON error body.
 * The set is closed so that clients (and the SDK's typed exceptions) can rely on the names.
 */
public enum ApiError {
    BAD_REQUEST(400, "BadRequest"),
    INVALID_JSON(400, "InvalidJson"),
    INVALID_QUERY(400, "InvalidQuery"),
    INVALID_INDEX_DEFINITION(400, "InvalidIndexDefinition"),
    INVALID_BACKUP(400, "InvalidBackup"),
    INDEX_DOES_NOT_EXIST(404, "IndexDoesNotExist"),
    NOT_FOUND(404, "NotFound"),
    DATABASE_DOES_NOT_EXIST(404, "DatabaseDoesNotExist"),
    AUTHENTICATION_REQUIRED(401, "AuthenticationRequired"),
    FORBIDDEN(403, "Forbidden"),
    METHOD_NOT_ALLOWED(405, "MethodNotAllowed"),
    CONCURRENCY_CONFLICT(409, "Concurrency"),
    CONFLICT(409, "Conflict"),
    /** A write reached a cluster node that is not its database group's leader; {@code Leader} names the one. */
    NOT_LEADER(421, "NotLeader"),
    REQUEST_TOO_LARGE(413, "RequestTooLarge"),
    TOO_MANY_REQUESTS(429, "TooManyRequests"),
    INTERNAL(500, "InternalError"),
    DATABASE_UNAVAILABLE(503, "DatabaseUnavailable"),
    /** A replicated write was proposed but not known committed; it may or may not be applied. */
    WRITE_OUTCOME_UNKNOWN(504, "WriteOutcomeUnknown"),
    /** Admission control: the large-request budget is spent; comes with {@code Retry-After}. */
    SERVER_BUSY(503, "ServerBusy"),
    INDEX_UNAVAILABLE(503, "IndexUnavailable"),
    INSUFFICIENT_STORAGE(507, "InsufficientStorage");

    private final int status;
    private final String type;

    ApiError(int status, String type) {
        this.status = status;
        this.type = type;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }
}
