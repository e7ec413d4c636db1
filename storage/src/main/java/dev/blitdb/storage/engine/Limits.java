package dev.blitdb.storage.engine;

/** Sizes fixed by the file format; see {@code storage/DESIGN.md}. */
public final class Limits {

    /** Page size in bytes: the OS base page, so madvise, faults and msync line up with pages. */
    public static final int PAGE_SIZE = 4096;
    static final int PAGE_SHIFT = 12;

    /** Largest key in bytes. Small enough that a branch page always holds several. */
    public static final int MAX_KEY = 1024;

    /**
     * Largest value in bytes: the 64 MiB document limit plus 4 KiB, so a document of the limit still fits with the
     * document store's record header (etag, collection, id) in front of it.
     */
    public static final int MAX_VALUE = (64 << 20) + 4096;

    /**
     * Largest cell, including its 2-byte slot, that stays inline in a page. Half of the usable page (minus slack)
     * guarantees that any split of a full page plus one new cell yields two pages that each fit.
     */
    static final int MAX_CELL_WITH_SLOT = 2000;

    private Limits() {
    }
}
