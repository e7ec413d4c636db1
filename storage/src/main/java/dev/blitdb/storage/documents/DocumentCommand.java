package dev.blitdb.storage.documents;

/** One command of a batch applied atomically by {@link DocumentStore#batch(java.util.List)}. */
public sealed interface DocumentCommand {

    /** Short description for error messages. */
    String describe();

    /**
     * Store a document.
     *
     * @param blittable              a blittable document made by the blittable module's writer or builder
     * @param expectedChangeVector   null = don't care, "" = must not exist, else must match
     */
    record Put(String id, byte[] blittable, String expectedChangeVector) implements DocumentCommand {
        @Override
        public String describe() {
            return "PUT '" + id + "'";
        }
    }

    /** Delete a document (a tombstone records it); same change-vector rules. */
    record Delete(String id, String expectedChangeVector) implements DocumentCommand {
        @Override
        public String describe() {
            return "DELETE '" + id + "'";
        }
    }
}
