package dev.blitdb.storage.documents;

/**
 * A range of id numbers reserved for one collection: {@code [first, last]}, both inclusive. Reserved durably:
 * no later reservation, before or after a restart, overlaps it.
 */
public record HiLoRange(String collection, long first, long last) {
}
