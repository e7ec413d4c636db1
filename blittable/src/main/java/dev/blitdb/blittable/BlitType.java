package dev.blitdb.blittable;

/** What a value is, as seen by readers (several stored forms map to one type, see FORMAT.md §2 and §4). */
public enum BlitType {
    NULL,
    BOOLEAN,
    /** A number stored as INTEGER: {@code getLong} is exact. */
    INTEGER,
    /** Any other number (DECIMAL or NUMBER_TEXT): exact text on output, {@code getDouble} correctly rounded. */
    DECIMAL,
    /** A string, plain or compressed. */
    STRING,
    ARRAY,
    OBJECT;

    private static final BlitType[] BY_TOKEN = {
        null, NULL, BOOLEAN, BOOLEAN, INTEGER, DECIMAL, DECIMAL, STRING, STRING, ARRAY, OBJECT,
        null, null, null, null, null};

    /** The type of a token byte, or null for an invalid token. */
    static BlitType of(int token) {
        return BY_TOKEN[token & BlitFormat.TYPE_MASK];
    }
}
