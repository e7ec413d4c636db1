package dev.blitdb.indexing.query;

/**
 * A query that parses but cannot run as written: an unknown field, a value of the wrong kind for its field, a
 * missing parameter, an operator the field's type does not support. The server answers 400 with the message.
 */
public final class QueryException extends RuntimeException {
    public QueryException(String message) {
        super(message, null, false, false);
    }
}
