package dev.blitdb.blittable;

/**
 * The one exception for bad input: JSON that cannot be converted, a limit exceeded, or blittable bytes that fail
 * validation. The {@link Kind} tells a server what to answer (see {@link Kind#tooLarge()}); line, column and byte
 * offset locate the problem in the input JSON when there is one (1-based line and column, 0-based byte offset,
 * {@code -1} when unknown). For corrupt documents the byte offset is the position inside the document.
 */
public final class BlitFormatException extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** Not JSON: a syntax error, trailing content, empty input. */
        INVALID_JSON(false),
        /** Input bytes are not UTF-8, or a string has an unpaired surrogate escape. */
        INVALID_UTF8(false),
        /** Nesting deeper than {@link BlitLimits#maxDepth()}. */
        TOO_DEEP(false),
        /** Input or output larger than {@link BlitLimits#maxDocumentSize()}. */
        DOCUMENT_TOO_LARGE(true),
        /** A property name longer than {@link BlitLimits#maxNameLength()}. */
        NAME_TOO_LONG(false),
        /** An object with more than {@link BlitLimits#maxPropertiesPerObject()} properties. */
        TOO_MANY_PROPERTIES(false),
        /** Blittable bytes that break FORMAT.md (found by validation or by a header check). */
        CORRUPT_DOCUMENT(false);

        private final boolean tooLarge;

        Kind(boolean tooLarge) {
            this.tooLarge = tooLarge;
        }

        /** True when the request was refused for its size (an HTTP server answers 413), false for malformed (400). */
        public boolean tooLarge() {
            return tooLarge;
        }
    }

    private final Kind kind;
    private final int line;
    private final int column;
    private final long byteOffset;

    public BlitFormatException(Kind kind, String message, int line, int column, long byteOffset) {
        super(message);
        this.kind = kind;
        this.line = line;
        this.column = column;
        this.byteOffset = byteOffset;
    }

    public BlitFormatException(Kind kind, String message, int line, int column, long byteOffset, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.line = line;
        this.column = column;
        this.byteOffset = byteOffset;
    }

    static BlitFormatException corrupt(String message, long position) {
        return new BlitFormatException(Kind.CORRUPT_DOCUMENT, message + " (document position " + position + ")",
                -1, -1, position);
    }

    public Kind kind() {
        return kind;
    }

    /** 1-based line in the input JSON, or -1. */
    public int line() {
        return line;
    }

    /** 1-based column (in bytes) in the input JSON, or -1. */
    public int column() {
        return column;
    }

    /** 0-based byte offset in the input JSON (or in the document for {@link Kind#CORRUPT_DOCUMENT}), or -1. */
    public long byteOffset() {
        return byteOffset;
    }
}
