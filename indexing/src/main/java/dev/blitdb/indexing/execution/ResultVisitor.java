package dev.blitdb.indexing.execution;

import dev.blitdb.storage.documents.StoredDocument;

import java.io.IOException;

/**
 * Receives a query's documents in result order, straight from the read transaction: {@code document} is valid
 * only during the call (stream it; copy nothing you do not need).
 */
@FunctionalInterface
public interface ResultVisitor {
    void accept(StoredDocument document) throws IOException;
}
