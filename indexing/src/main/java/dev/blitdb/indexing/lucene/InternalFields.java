package dev.blitdb.indexing.lucene;

/**
 * Names of the Lucene fields BlitDB adds to every entry besides the definition's own. User field names may not
 * start with {@link #RESERVED_PREFIX}.
 */
public final class InternalFields {

    public static final String RESERVED_PREFIX = "__blit_";
    /**
     * The document id, lowercased: the update/delete key, the final, deterministic sort key, and (from its doc
     * values) the store key a query loads each hit by. Nothing is stored: the original casing comes from the store.
     */
    public static final String ID = "__blit_id";
    /** One term per field whose path exists in the document (null values included): {@code exists()}. */
    public static final String EXISTS = "__blit_exists";
    /** One term per field whose path holds a JSON null: {@code Field = null}. */
    public static final String NULL = "__blit_null";

    private InternalFields() {
    }
}
