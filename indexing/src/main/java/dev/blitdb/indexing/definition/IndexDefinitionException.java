package dev.blitdb.indexing.definition;

/** An index definition that cannot be used; the message names the index, the field and the problem. */
public final class IndexDefinitionException extends RuntimeException {
    public IndexDefinitionException(String message) {
        super(message, null, false, false);
    }
}
