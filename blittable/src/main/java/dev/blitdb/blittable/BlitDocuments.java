package dev.blitdb.blittable;

/**
 * Document-store conventions on top of the format: the {@code @metadata} object (RavenDB style: {@code @id},
 * {@code @collection}, {@code @change-vector}, {@code @last-modified}) — stamping it into a copy of a client's
 * document and reading it back. All methods are thread-safe; they use per-thread scratch flyweights and patches,
 * so they allocate nothing once warm (apart from what the strings passed in are).
 */
public final class BlitDocuments {
    private BlitDocuments() {
    }

    public static final String METADATA = "@metadata";
    public static final String ID = "@id";
    public static final String COLLECTION = "@collection";
    public static final String CHANGE_VECTOR = "@change-vector";
    public static final String LAST_MODIFIED = "@last-modified";

    public static final BlitKey METADATA_KEY = BlitKey.of(METADATA);
    public static final BlitKey ID_KEY = BlitKey.of(ID);
    public static final BlitKey COLLECTION_KEY = BlitKey.of(COLLECTION);
    public static final BlitKey CHANGE_VECTOR_KEY = BlitKey.of(CHANGE_VECTOR);
    public static final BlitKey LAST_MODIFIED_KEY = BlitKey.of(LAST_MODIFIED);

    private static final class Scratch {
        final BlitPatch patch = new BlitPatch();
        final BlitObject root = new BlitObject();
        final BlitObject metadata = new BlitObject();
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * Writes into {@code out} a copy of {@code source} (an object document) whose {@code @metadata} has the given
     * fields set; a {@code null} argument leaves that field as it is. Every other property — inside and outside
     * {@code @metadata} — is kept unchanged and in the client's order; {@code @metadata} is appended when absent
     * (and replaced by an object if it was not one). Returns the new length; the bytes are in {@code out.segment()}.
     * Cost: one bulk copy of the source plus the root's and {@code @metadata}'s tables (see {@link BlitPatch}).
     */
    public static int withMetadata(BlitDocument source, CharSequence id, CharSequence collection,
                                   CharSequence changeVector, CharSequence lastModified, BlitBuilder out) {
        BlitPatch patch = SCRATCH.get().patch.clear();
        BlitPatch meta = patch.object(METADATA);
        if (id != null) {
            meta.set(ID, id);
        }
        if (collection != null) {
            meta.set(COLLECTION, collection);
        }
        if (changeVector != null) {
            meta.set(CHANGE_VECTOR, changeVector);
        }
        if (lastModified != null) {
            meta.set(LAST_MODIFIED, lastModified);
        }
        try {
            return patch.apply(source, out);
        } finally {
            patch.clear();
        }
    }

    /**
     * Points {@code into} at the string {@code @metadata.<field>} of {@code doc} (e.g. {@link #COLLECTION_KEY});
     * false when the root is not an object, or there is no {@code @metadata} object, or the field is missing or
     * null. Throws {@link IllegalStateException} when the field is not a string.
     */
    public static boolean metadataString(BlitDocument doc, BlitKey field, BlitString into) {
        if (doc.rootType() != BlitType.OBJECT) {
            return false;
        }
        Scratch s = SCRATCH.get();
        return doc.rootObject(s.root).getObject(METADATA_KEY, s.metadata) && s.metadata.getString(field, into);
    }

    /** The collection name, as a new String, or null (allocates; see {@link #metadataString} for the view). */
    public static String collection(BlitDocument doc) {
        BlitString s = new BlitString();
        return metadataString(doc, COLLECTION_KEY, s) ? s.toString() : null;
    }
}
