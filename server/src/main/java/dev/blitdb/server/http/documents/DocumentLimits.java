package dev.blitdb.server.http.documents;

/** Limits of the document routes that the server's configuration must agree with. */
public final class DocumentLimits {

    /** Ids in one {@code GET /databases/{db}/docs?id=…&id=…}; the listener allows twice as many query parameters. */
    public static final int MAX_IDS_PER_GET = 1024;

    private DocumentLimits() {
    }
}
