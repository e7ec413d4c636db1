package dev.blitdb.client.exceptions;

/**
 * A session was about to send more requests than its budget allows (30 by default). A session is a short unit
 * of work; hitting the budget almost always means a loop that loads one document per iteration (use
 * {@code load(Class, ids...)} or a query) or a session kept open far too long.
 */
public class TooManyRequestsInSessionException extends BlitDbException {

    /** The budget {@code max} was exhausted. */
    public TooManyRequestsInSessionException(int max) {
        super("this session has already sent its maximum of " + max + " requests; load many documents with one "
                + "load(Class, ids...) call or a query, open a new session for new work, or raise the budget with "
                + "SessionOptions.maxRequests / DocumentConventions.maxRequestsPerSession");
    }
}
