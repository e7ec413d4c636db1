package dev.blitdb.indexing.manager;

/** A request named an index the database does not have (404). */
public final class IndexNotFoundException extends RuntimeException {
    public IndexNotFoundException(String database, String name) {
        super("database '" + database + "' has no index named '" + name + "'", null, false, false);
    }
}
