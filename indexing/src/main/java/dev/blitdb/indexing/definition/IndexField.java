package dev.blitdb.indexing.definition;

/**
 * One field of an index: the name queries use, where its values come from, and how they are indexed.
 *
 * @param name the field's name in queries (unique in its index, ignoring case)
 * @param path where the value is read in each document
 * @param type how it is indexed
 */
public record IndexField(String name, FieldPath path, FieldType type) {
}
