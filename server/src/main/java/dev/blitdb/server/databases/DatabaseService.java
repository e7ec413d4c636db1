package dev.blitdb.server.databases;

/**
 * Something that lives exactly as long as one open database and is reached through it, such as the index
 * manager: started by its {@link Factory} after the store opened and before the database serves requests,
 * closed (in reverse order of starting) after the last request left and before the store closes.
 */
public interface DatabaseService extends AutoCloseable {

    /** Starts the service of one database; registered once with the {@link DatabaseRegistry}. */
    @FunctionalInterface
    interface Factory {
        /**
         * Starts the service for {@code database}, whose {@link Database#store()} is open. Throwing fails the
         * database's opening (it answers 503 with the reason) and closes the services already started.
         */
        DatabaseService start(Database database) throws Exception;
    }

    /**
     * A service that does not hold the database's store (it reaches it through {@link Database#store()} when it
     * needs it): when a replica's store is replaced ({@link Database#replaceStoreFile}) it keeps running while the
     * other services restart on the new store.
     */
    interface OutlivesStore extends DatabaseService {
    }

    /** Stops the service; the database's store is still open while this runs. */
    @Override
    void close() throws Exception;
}
