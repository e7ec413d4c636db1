package dev.blitdb.server.http.errors;

import dev.blitdb.blittable.BlitFormatException;
import dev.blitdb.indexing.definition.IndexDefinitionException;
import dev.blitdb.indexing.manager.IndexNotFoundException;
import dev.blitdb.indexing.query.QueryException;
import dev.blitdb.indexing.query.rql.RqlSyntaxException;
import dev.blitdb.server.databases.DatabaseExistsException;
import dev.blitdb.server.databases.DatabaseNotFoundException;
import dev.blitdb.server.databases.DatabaseUnavailableException;
import dev.blitdb.server.databases.InvalidDatabaseNameException;
import dev.blitdb.storage.documents.BatchCommandException;
import dev.blitdb.storage.documents.ConcurrencyConflictException;
import dev.blitdb.storage.documents.InvalidDocumentException;
import dev.blitdb.storage.documents.InvalidIdException;
import dev.blitdb.storage.engine.StoreClosedException;
import dev.blitdb.storage.engine.StoreFullException;
import dev.blitdb.storage.engine.TooLargeException;

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
        if (t instanceof BatchCommandException batch) {
            // The batch's own message names the command; the status is the one its cause stands for.
            ApiException cause = t.getCause() == null ? internal(t) : toApiException(t.getCause());
            ApiException api = new ApiException(cause.error(), batch.getMessage(), t).with("CommandIndex", batch.index());
            cause.details().forEach(api::with);
            return api;
        }
        ApiException known = known(t);
        if (known != null) {
            return known;
        }
        // A write that failed part way wraps its reason (a full disk found late): answer for the reason.
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof StoreFullException) {
                return new ApiException(ApiError.INSUFFICIENT_STORAGE, t.getMessage(), t);
            }
        }
        return internal(t);
    }

    private static ApiException known(Throwable t) {
        return switch (t) {
            case BlitFormatException e when e.kind().tooLarge() ->
                    new ApiException(ApiError.REQUEST_TOO_LARGE, e.getMessage(), e);
            case BlitFormatException e -> located(e);
            case ConcurrencyConflictException e -> new ApiException(ApiError.CONCURRENCY_CONFLICT, e.getMessage(), e)
                    .with("Id", e.id()).with("ExpectedChangeVector", e.expected())
                    .with("ActualChangeVector", e.actual());
            case InvalidIdException e -> new ApiException(ApiError.BAD_REQUEST, e.getMessage(), e);
            case InvalidDocumentException e -> new ApiException(ApiError.BAD_REQUEST, e.getMessage(), e);
            case TooLargeException e -> new ApiException(ApiError.REQUEST_TOO_LARGE, e.getMessage(), e);
            case StoreFullException e -> new ApiException(ApiError.INSUFFICIENT_STORAGE, e.getMessage(), e);
            case StoreClosedException e -> new ApiException(ApiError.DATABASE_UNAVAILABLE,
                    "the database is closing: " + e.getMessage(), e);
            case DatabaseNotFoundException e -> new ApiException(ApiError.DATABASE_DOES_NOT_EXIST, e.getMessage(), e);
            case DatabaseUnavailableException e -> new ApiException(ApiError.DATABASE_UNAVAILABLE, e.getMessage(), e);
            case DatabaseExistsException e -> new ApiException(ApiError.CONFLICT, e.getMessage(), e);
            case InvalidDatabaseNameException e -> new ApiException(ApiError.BAD_REQUEST, e.getMessage(), e);
            case IndexDefinitionException e when e.line() > 0 ->
                    new ApiException(ApiError.INVALID_INDEX_DEFINITION, e.getMessage(), e)
                            .with("Line", e.line()).with("Column", e.column());
            case IndexDefinitionException e -> new ApiException(ApiError.INVALID_INDEX_DEFINITION, e.getMessage(), e);
            case IndexNotFoundException e -> new ApiException(ApiError.INDEX_DOES_NOT_EXIST, e.getMessage(), e);
            case dev.blitdb.indexing.worker.IndexUnavailableException e ->
                    new ApiException(ApiError.INDEX_UNAVAILABLE, e.getMessage(), e);
            case RqlSyntaxException e -> new ApiException(ApiError.INVALID_QUERY, e.getMessage(), e)
                    .with("Line", e.line()).with("Column", e.column());
            case QueryException e -> new ApiException(ApiError.INVALID_QUERY, e.getMessage(), e);
            case dev.blitdb.cluster.raft.NotLeaderException e -> new ApiException(ApiError.NOT_LEADER,
                    e.getMessage(), e).with("Leader", e.leaderUrl()).with("LeaderId", e.leaderId());
            case dev.blitdb.cluster.raft.WriteOutcomeUnknownException e ->
                    new ApiException(ApiError.WRITE_OUTCOME_UNKNOWN, e.getMessage(), e);
            case dev.blitdb.cluster.raft.ReadBarrierException e ->
                    new ApiException(ApiError.DATABASE_UNAVAILABLE, e.getMessage(), e);
            case java.util.concurrent.TimeoutException e -> new ApiException(ApiError.DATABASE_UNAVAILABLE,
                    "no answer from the database group in time (no leader reachable?): " + e.getMessage(), e);
            case dev.blitdb.storage.backup.BackupInvalidException e ->
                    new ApiException(ApiError.INVALID_BACKUP, e.getMessage(), e).with("File", e.file())
                            .with("Check", e.check());
            case dev.blitdb.storage.backup.BackupSpaceException e ->
                    new ApiException(ApiError.INSUFFICIENT_STORAGE, e.getMessage(), e);
            case StackOverflowError e -> new ApiException(ApiError.BAD_REQUEST,
                    "the request is nested too deeply to process", e);
            default -> null;
        };
    }

    private static ApiException located(BlitFormatException e) {
        ApiError error = switch (e.kind()) {
            case INVALID_JSON, INVALID_UTF8 -> ApiError.INVALID_JSON;
            default -> ApiError.BAD_REQUEST;
        };
        String message = e.getMessage();
        if (e.line() > 0 && !message.contains("line " + e.line())) {
            message = message + " at line " + e.line() + ", column " + e.column();
        }
        ApiException api = new ApiException(error, message, e);
        if (e.line() > 0) {
            api.with("Line", e.line()).with("Column", e.column());
        }
        if (e.byteOffset() >= 0) {
            api.with("ByteOffset", e.byteOffset());
        }
        return api;
    }

    private static ApiException internal(Throwable t) {
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
