package dev.blitdb.indexing.lucene;

import dev.blitdb.indexing.definition.FieldType;
import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoubleField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.util.BytesRef;

import java.util.Locale;

/**
 * Builds the Lucene entry of one document from the values found at each field's path. The caller (the index
 * worker reading blittable values, or a test) reports values one at a time; this class applies the field's type:
 *
 * <ul>
 *   <li>{@code Keyword}: strings as they are; numbers and booleans as their JSON text.</li>
 *   <li>{@code Text}: strings (and numbers as text), analysed for {@code search()}.</li>
 *   <li>{@code Long}: integers, and decimals with a whole value ({@code 30.0}); anything else is an error.</li>
 *   <li>{@code Double}: any number.</li>
 *   <li>{@code Boolean}: {@code true}/{@code false}.</li>
 *   <li>{@code null} in any field: recorded so that {@code Field = null} and {@code exists(Field)} match.</li>
 * </ul>
 * A value of the wrong kind throws {@link IndexValueException} naming the field, the document and the value;
 * in an automatic index ({@code Auto/...}) it is skipped instead, so one odd document does not vanish from
 * every query on its collection.
 * One builder is reused for many documents on the worker thread. Keyword values may be handed over as UTF-8 bytes
 * ({@link #addKeywordUtf8}), kept in the builder's scratch buffer without a {@code String}: the entry is valid
 * until the next {@link #begin} (Lucene consumes an entry inside {@code addDocument}/{@code updateDocument}).
 */
public final class IndexEntryBuilder {

    private final IndexDefinition definition;
    /** Automatic indexes skip values of the wrong kind instead of failing the document (see indexing/README.md). */
    private final boolean lenient;
    private Document document;
    private String id;
    /** Names the document in error messages when {@link #id} was not given as a String. */
    private java.util.function.Supplier<String> idForMessages;
    /** UTF-8 bytes of this entry's keyword values; the entry's BytesRefs point into it. */
    private byte[] scratch = new byte[1024];
    private int used;

    public IndexEntryBuilder(IndexDefinition definition) {
        this.definition = definition;
        this.lenient = definition.isAuto();
        for (String name : definition.fields().keySet()) {
            if (name.startsWith(InternalFields.RESERVED_PREFIX)) {
                throw new IllegalArgumentException("field name '" + name + "' uses the reserved prefix "
                        + InternalFields.RESERVED_PREFIX);
            }
        }
    }

    /** Starts the entry of document {@code id} (original casing). */
    public IndexEntryBuilder begin(String id) {
        this.id = id;
        this.idForMessages = null;
        used = 0;
        document = new Document();
        document.add(new KeywordField(InternalFields.ID, lowerId(id), Field.Store.NO));
        return this;
    }

    /**
     * Starts the entry of the document whose store key — its id lowercased, UTF-8, exactly what
     * {@link #lowerId} gives — is {@code lowerIdKey}, copied as bytes (no String); {@code idForMessages} names
     * the document only if a value is rejected.
     */
    public IndexEntryBuilder begin(java.lang.foreign.MemorySegment lowerIdKey,
                                   java.util.function.Supplier<String> idForMessages) {
        this.id = null;
        this.idForMessages = idForMessages;
        used = 0;
        document = new Document();
        int length = (int) lowerIdKey.byteSize();
        if (length > scratch.length) {
            scratch = new byte[length + 1024];
        }
        java.lang.foreign.MemorySegment.copy(lowerIdKey, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, scratch, 0, length);
        document.add(new KeywordField(InternalFields.ID, new BytesRef(scratch, 0, length), Field.Store.NO));
        used = length;
        return this;
    }

    /** The key entries are updated and deleted by: the id lowercased, as the store compares ids. */
    public static String lowerId(String id) {
        return id.toLowerCase(Locale.ROOT);
    }

    /** Marks that the field's path exists in the document; call once per field that had any value. */
    public void present(IndexField field) {
        document.add(new StringField(InternalFields.EXISTS, field.name(), Field.Store.NO));
    }

    public void addNull(IndexField field) {
        document.add(new StringField(InternalFields.NULL, field.name(), Field.Store.NO));
    }

    public void addString(IndexField field, String value) {
        switch (field.type()) {
            case KEYWORD -> document.add(new KeywordField(field.name(), value, Field.Store.NO));
            case TEXT -> document.add(new TextField(field.name(), value, Field.Store.NO));
            case LONG, DOUBLE, BOOLEAN -> reject(field, "the string " + quote(value));
        }
    }

    /**
     * A string value given as {@code length} UTF-8 bytes that {@code copier} writes into a buffer: a Keyword field
     * indexes the bytes as they are (no {@code String}); any other type decodes them and goes through
     * {@link #addString}.
     */
    public void addKeywordUtf8(IndexField field, int length, Utf8Source copier) {
        if (field.type() != dev.blitdb.indexing.definition.FieldType.KEYWORD) {
            byte[] text = new byte[length];
            copier.copyTo(text, 0);
            addString(field, new String(text, java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        if (used + length > scratch.length) {
            // Earlier values keep pointing at the old array, which is not written again: still valid.
            scratch = new byte[Math.max(scratch.length * 2, length + 1024)];
            used = 0;
        }
        copier.copyTo(scratch, used);
        document.add(new KeywordField(field.name(), new BytesRef(scratch, used, length), Field.Store.NO));
        used += length;
    }

    /** Writes a value's UTF-8 bytes into {@code dst} at {@code offset}. */
    @FunctionalInterface
    public interface Utf8Source {
        void copyTo(byte[] dst, int offset);
    }

    public void addLong(IndexField field, long value) {
        switch (field.type()) {
            case LONG -> document.add(new LongField(field.name(), value, Field.Store.NO));
            case DOUBLE -> document.add(new DoubleField(field.name(), value, Field.Store.NO));
            case KEYWORD -> document.add(new KeywordField(field.name(), Long.toString(value), Field.Store.NO));
            case TEXT -> document.add(new TextField(field.name(), Long.toString(value), Field.Store.NO));
            case BOOLEAN -> reject(field, "the number " + value);
        }
    }

    /**
     * A non-integer number, or one beyond a long. {@code text} is its JSON spelling, used by Keyword and Text
     * fields so that what is indexed is what the client wrote.
     */
    public void addDouble(IndexField field, double value, String text) {
        switch (field.type()) {
            case DOUBLE -> document.add(new DoubleField(field.name(), value, Field.Store.NO));
            case LONG -> {
                if (value != Math.rint(value) || value < Long.MIN_VALUE || value >= 0x1p63) {
                    reject(field, "the number " + text + ", which is not a whole number in 64 bits");
                } else {
                    document.add(new LongField(field.name(), (long) value, Field.Store.NO));
                }
            }
            case KEYWORD -> document.add(new KeywordField(field.name(), text, Field.Store.NO));
            case TEXT -> document.add(new TextField(field.name(), text, Field.Store.NO));
            case BOOLEAN -> reject(field, "the number " + text);
        }
    }

    public void addBoolean(IndexField field, boolean value) {
        switch (field.type()) {
            case BOOLEAN, KEYWORD -> document.add(new KeywordField(field.name(), Boolean.toString(value),
                    Field.Store.NO));
            case TEXT -> document.add(new TextField(field.name(), Boolean.toString(value), Field.Store.NO));
            case LONG, DOUBLE -> reject(field, "the boolean " + value);
        }
    }

    private void reject(IndexField field, String what) {
        IndexValueException e = wrongKind(field, what);
        if (e != null) {
            throw e;
        }
    }

    /** An object (or an array below the path's last step) where a value is needed. */
    public void addContainer(IndexField field, String kind) {
        reject(field, "an " + kind);
    }

    /** The finished entry; the builder is ready for {@link #begin} again. */
    public Document build() {
        Document done = document;
        document = null;
        return done;
    }

    public IndexDefinition definition() {
        return definition;
    }

    private IndexValueException wrongKind(IndexField field, String what) {
        if (lenient) {
            return null;
        }
        FieldType type = field.type();
        String named = id != null ? id : idForMessages.get();
        return new IndexValueException("document '" + named + "': field '" + field.name() + "' (path "
                + field.path().text() + ") is " + type.wireName() + " but the document has " + what);
    }

    private static String quote(String value) {
        return value.length() > 64 ? "'" + value.substring(0, 61) + "...'" : "'" + value + "'";
    }
}
