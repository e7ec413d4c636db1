package dev.blitdb.indexing.lucene;

/**
 * A document value that its index field cannot take (a string where the field is {@code Long}, an object where a
 * scalar is needed). The worker records it as an index error for that document and skips the document.
 */
public final class IndexValueException extends RuntimeException {
    public IndexValueException(String message) {
        super(message, null, false, false);
    }
}
