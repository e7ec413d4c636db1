package dev.blitdb.blittable;

/**
 * Limits enforced while writing a document (FORMAT.md §9). Exceeding one ends the conversion with a
 * {@link BlitFormatException} whose kind names the limit.
 *
 * @param maxDepth               deepest container nesting; the root container is depth 1
 * @param maxDocumentSize        largest input JSON, and largest blittable output, in bytes
 * @param maxNameLength          longest property name in UTF-8 bytes
 * @param maxPropertiesPerObject most properties in one object (duplicates counted)
 */
public record BlitLimits(int maxDepth, int maxDocumentSize, int maxNameLength, int maxPropertiesPerObject) {
    /** The documented defaults: depth 256, 64 MiB, names of 4,096 bytes, 65,536 properties per object. */
    public static final BlitLimits DEFAULT = new BlitLimits(256, 64 << 20, 4096, 65536);

    public BlitLimits {
        if (maxDepth < 1 || maxDocumentSize < BlitFormat.MIN_DOCUMENT_LENGTH || maxNameLength < 1
                || maxPropertiesPerObject < 1) {
            throw new IllegalArgumentException("every limit must be positive: " + maxDepth + ", " + maxDocumentSize
                    + ", " + maxNameLength + ", " + maxPropertiesPerObject);
        }
    }
}
