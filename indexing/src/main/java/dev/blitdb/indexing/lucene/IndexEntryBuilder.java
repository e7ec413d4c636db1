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
import org.apache.lucene.util.UnicodeUtil;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
 * One builder is reused for many documents on one thread, and so are its Lucene {@link Document} and fields: each
 * index field keeps its own {@link KeywordField}s, {@link LongField}s, ... set to the next document's values
 * ({@code setBytesValue}, {@code setLongValue}), and the {@code exists}/{@code null} markers are constant fields
 * made once. Keyword values (strings, and numbers and booleans as text) are UTF-8 bytes in the builder's scratch
 * buffer — from the page ({@link #addKeywordUtf8}), never a {@code String}. So the entry is valid only until the
 * next {@link #begin} (Lucene consumes an entry inside {@code addDocument}/{@code updateDocument}), and a rebuild
 * allocates no Lucene objects per document.
 */
public final class IndexEntryBuilder {

    private final IndexDefinition definition;
    /** Automatic indexes skip values of the wrong kind instead of failing the document (see indexing/README.md). */
    private final boolean lenient;
    private final Document document = new Document();
    private final KeywordField idField = new KeywordField(InternalFields.ID, new BytesRef(), Field.Store.NO);
    private final BytesRef idBytes = new BytesRef();
    private final Slot[] slots;
    private final java.util.Map<IndexField, Slot> slotsByField = new java.util.HashMap<>();
    /** The slot of the last field asked for: callers give one field's values in a row. */
    private IndexField lastField;
    private Slot lastSlot;
    private int lastIndex = -1;
    private String id;
    /** Names the document in error messages when {@link #id} was not given as a String. */
    private java.util.function.Supplier<String> idForMessages;
    /** UTF-8 bytes of this entry's id and keyword values; the entry's BytesRefs point into it. */
    private byte[] scratch = new byte[1024];
    private int used;

    public IndexEntryBuilder(IndexDefinition definition) {
        this.definition = definition;
        this.lenient = definition.isAuto();
        List<IndexField> fields = definition.fieldList();
        this.slots = new Slot[fields.size()];
        for (int i = 0; i < slots.length; i++) {
            IndexField field = fields.get(i);
            if (field.name().startsWith(InternalFields.RESERVED_PREFIX)) {
                throw new IllegalArgumentException("field name '" + field.name() + "' uses the reserved prefix "
                        + InternalFields.RESERVED_PREFIX);
            }
            slots[i] = new Slot(field);
            slotsByField.put(field, slots[i]);
        }
    }

    /**
     * The reusable Lucene fields of one index field. The markers never change; the value fields are handed out in
     * order and set to each document's values (a multi-valued path grows the lists once, to its widest document).
     */
    private static final class Slot {
        final IndexField field;
        final StringField exists;
        final StringField isNull;
        final List<KeywordField> keywords = new ArrayList<>(1);
        final List<BytesRef> keywordBytes = new ArrayList<>(1);
        final List<LongField> longs = new ArrayList<>(1);
        final List<DoubleField> doubles = new ArrayList<>(1);
        final List<TextField> texts = new ArrayList<>(1);
        int keywordsUsed;
        int longsUsed;
        int doublesUsed;
        int textsUsed;
        /** The field's path reached a value in this document ({@link #present}). */
        boolean present;

        Slot(IndexField field) {
            this.field = field;
            BytesRef name = new BytesRef(field.name());
            this.exists = new StringField(InternalFields.EXISTS, name, Field.Store.NO);
            this.isNull = new StringField(InternalFields.NULL, name, Field.Store.NO);
        }

        /**
         * Whether the entry needs the {@code exists} marker: the path reached a value, but none that leaves doc
         * values (Keyword, Boolean, Long and Double values do; a null, a Text value or a value an automatic index
         * skipped do not). {@code exists(F)} matches the marker or F's doc values.
         */
        boolean needsExistsMarker() {
            return present && keywordsUsed + longsUsed + doublesUsed == 0;
        }

        void clear() {
            present = false;
            keywordsUsed = 0;
            longsUsed = 0;
            doublesUsed = 0;
            textsUsed = 0;
        }
    }

    /**
     * The slot of {@code field}: callers give a document's fields in the definition's order, so the next slot is
     * tried first; then by identity, then (a caller's equal copy of a field) by equality — never a hash per value.
     */
    private Slot slot(IndexField field) {
        if (field == lastField) {
            return lastSlot;
        }
        Slot found = null;
        int n = slots.length;
        for (int k = 0, i = lastIndex + 1; k < n; k++, i++) {
            Slot s = slots[i >= n ? i - n : i];
            if (s.field == field) {
                found = s;
                lastIndex = i >= n ? i - n : i;
                break;
            }
        }
        if (found == null) {
            found = slotsByField.get(field);
            if (found == null) {
                throw new IllegalArgumentException("field " + field + " is not a field of index " + definition.name());
            }
        }
        lastField = field;
        lastSlot = found;
        return found;
    }

    private void start() {
        document.clear(); // also the fields of an entry left unfinished by a rejected value
        for (Slot s : slots) {
            s.clear();
        }
        used = 0;
    }

    /** Starts the entry of document {@code id} (original casing). */
    public IndexEntryBuilder begin(String id) {
        start();
        this.id = id;
        this.idForMessages = null;
        byte[] lower = lowerId(id).getBytes(StandardCharsets.UTF_8);
        ensure(lower.length);
        System.arraycopy(lower, 0, scratch, 0, lower.length);
        addId(lower.length);
        return this;
    }

    /**
     * Starts the entry of the document whose store key — its id lowercased, UTF-8, exactly what
     * {@link #lowerId} gives — is {@code lowerIdKey}, copied as bytes (no String); {@code idForMessages} names
     * the document only if a value is rejected.
     */
    public IndexEntryBuilder begin(java.lang.foreign.MemorySegment lowerIdKey,
                                   java.util.function.Supplier<String> idForMessages) {
        start();
        this.id = null;
        this.idForMessages = idForMessages;
        int length = (int) lowerIdKey.byteSize();
        ensure(length);
        java.lang.foreign.MemorySegment.copy(lowerIdKey, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, scratch, 0, length);
        addId(length);
        return this;
    }

    private void addId(int length) {
        idBytes.bytes = scratch;
        idBytes.offset = 0;
        idBytes.length = length;
        idField.setBytesValue(idBytes);
        document.add(idField);
        used = length;
    }

    /**
     * The current entry's id as Lucene compares it (the lowercased id, UTF-8): a copy, since the builder's bytes
     * are rewritten by the next {@link #begin}.
     */
    public BytesRef idTerm() {
        return BytesRef.deepCopyOf(idBytes);
    }

    /** The key entries are updated and deleted by: the id lowercased, as the store compares ids. */
    public static String lowerId(String id) {
        return id.toLowerCase(Locale.ROOT);
    }

    /** Marks that the field's path exists in the document; call once per field that had any value. */
    public void present(IndexField field) {
        slot(field).present = true; // the marker is added by build(), only where no doc value says so
    }

    public void addNull(IndexField field) {
        document.add(slot(field).isNull);
    }

    public void addString(IndexField field, String value) {
        switch (field.type()) {
            case KEYWORD -> {
                int max = value.length() * 3; // UTF-8 needs at most three bytes per UTF-16 unit
                reserve(max);
                int end = UnicodeUtil.UTF16toUTF8(value, 0, value.length(), scratch, used);
                addKeyword(slot(field), end - used);
            }
            case TEXT -> addText(slot(field), value);
            case LONG, DOUBLE, BOOLEAN -> reject(field, "the string " + quote(value));
        }
    }

    /**
     * A string value given as {@code length} UTF-8 bytes that {@code copier} writes into a buffer: a Keyword field
     * indexes the bytes as they are (no {@code String}); any other type decodes them and goes through
     * {@link #addString}.
     */
    public void addKeywordUtf8(IndexField field, int length, Utf8Source copier) {
        if (field.type() != FieldType.KEYWORD) {
            byte[] text = new byte[length];
            copier.copyTo(text, 0);
            addString(field, new String(text, StandardCharsets.UTF_8));
            return;
        }
        reserve(length);
        copier.copyTo(scratch, used);
        addKeyword(slot(field), length);
    }

    /** Writes a value's UTF-8 bytes into {@code dst} at {@code offset}. */
    @FunctionalInterface
    public interface Utf8Source {
        void copyTo(byte[] dst, int offset);
    }

    /** Makes room for {@code length} more bytes after {@link #used}. */
    private void reserve(int length) {
        if (used + length > scratch.length) {
            // Earlier values of this entry keep pointing at the old array, which is not written again: still valid.
            scratch = new byte[Math.max(scratch.length * 2, length + 1024)];
            used = 0;
        }
    }

    /** Room for {@code length} bytes at the start of the scratch buffer (a new entry's id). */
    private void ensure(int length) {
        if (length > scratch.length) {
            scratch = new byte[length + 1024];
        }
    }

    /** Adds the {@code length} bytes just written at {@link #used} as the slot's next keyword value. */
    private void addKeyword(Slot s, int length) {
        int k = s.keywordsUsed++;
        if (k == s.keywords.size()) {
            BytesRef bytes = new BytesRef();
            s.keywordBytes.add(bytes);
            s.keywords.add(new KeywordField(s.field.name(), bytes, Field.Store.NO));
        }
        BytesRef bytes = s.keywordBytes.get(k);
        bytes.bytes = scratch;
        bytes.offset = used;
        bytes.length = length;
        KeywordField f = s.keywords.get(k);
        f.setBytesValue(bytes);
        document.add(f);
        used += length;
    }

    private void addKeyword(Slot s, String text) {
        reserve(text.length()); // only ASCII here: number and boolean spellings
        for (int i = 0; i < text.length(); i++) {
            scratch[used + i] = (byte) text.charAt(i);
        }
        addKeyword(s, text.length());
    }

    private void addLongValue(Slot s, long value) {
        int k = s.longsUsed++;
        if (k == s.longs.size()) {
            s.longs.add(new LongField(s.field.name(), value, Field.Store.NO));
        }
        LongField f = s.longs.get(k);
        f.setLongValue(value);
        document.add(f);
    }

    private void addDoubleValue(Slot s, double value) {
        int k = s.doublesUsed++;
        if (k == s.doubles.size()) {
            s.doubles.add(new DoubleField(s.field.name(), value, Field.Store.NO));
        }
        DoubleField f = s.doubles.get(k);
        f.setDoubleValue(value);
        document.add(f);
    }

    private void addText(Slot s, String value) {
        int k = s.textsUsed++;
        if (k == s.texts.size()) {
            s.texts.add(new TextField(s.field.name(), value, Field.Store.NO));
        }
        TextField f = s.texts.get(k);
        f.setStringValue(value);
        document.add(f);
    }

    public void addLong(IndexField field, long value) {
        switch (field.type()) {
            case LONG -> addLongValue(slot(field), value);
            case DOUBLE -> addDoubleValue(slot(field), value);
            case KEYWORD -> addKeyword(slot(field), Long.toString(value));
            case TEXT -> addText(slot(field), Long.toString(value));
            case BOOLEAN -> reject(field, "the number " + value);
        }
    }

    /**
     * A non-integer number, or one beyond a long. {@code text} is its JSON spelling, used by Keyword and Text
     * fields so that what is indexed is what the client wrote.
     */
    public void addDouble(IndexField field, double value, String text) {
        switch (field.type()) {
            case DOUBLE -> addDoubleValue(slot(field), value);
            case LONG -> {
                if (value != Math.rint(value) || value < Long.MIN_VALUE || value >= 0x1p63) {
                    reject(field, "the number " + text + ", which is not a whole number in 64 bits");
                } else {
                    addLongValue(slot(field), (long) value);
                }
            }
            case KEYWORD -> addKeyword(slot(field), text);
            case TEXT -> addText(slot(field), text);
            case BOOLEAN -> reject(field, "the number " + text);
        }
    }

    public void addBoolean(IndexField field, boolean value) {
        switch (field.type()) {
            case BOOLEAN, KEYWORD -> addKeyword(slot(field), Boolean.toString(value));
            case TEXT -> addText(slot(field), Boolean.toString(value));
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

    /**
     * The finished entry, valid until the next {@link #begin} (the builder's one document, refilled each time);
     * the builder is ready for {@link #begin} again.
     */
    public Document build() {
        for (Slot s : slots) {
            if (s.needsExistsMarker()) {
                document.add(s.exists);
            }
        }
        return document;
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
