package dev.blitdb.indexing.lucene;

import dev.blitdb.blittable.BlitArray;
import dev.blitdb.blittable.BlitDocument;
import dev.blitdb.blittable.BlitObject;
import dev.blitdb.blittable.BlitPath;
import dev.blitdb.blittable.BlitString;
import dev.blitdb.blittable.BlitValue;
import dev.blitdb.indexing.definition.FieldType;
import dev.blitdb.indexing.definition.IndexDefinition;
import dev.blitdb.indexing.definition.IndexField;
import org.apache.lucene.document.Document;


/**
 * Pulls an index's fields out of a blittable document where it lies (a mapped page), with the field paths
 * compiled once: no JSON, no tree, no copy of the document. A path that ends on an array indexes the array's
 * items, as if it ended in {@code []}. One reader per worker thread (the compiled paths hold flyweights).
 */
public final class BlitEntryReader {

    private final IndexEntryBuilder builder;
    private final IndexField[] fields;
    private final BlitObject root = new BlitObject();
    private final BlitPath[] paths;
    private final BlitString string = new BlitString();
    private final BlitArray array = new BlitArray();
    private final BlitValue item = new BlitValue();
    private final BlitPath.Visitor visitor = this::add;
    private final IndexEntryBuilder.Utf8Source copyString = (dst, offset) -> string.copyTo(dst, offset);
    private IndexField current;
    private boolean present;

    public BlitEntryReader(IndexDefinition definition) {
        this.builder = new IndexEntryBuilder(definition);
        this.fields = definition.fieldList().toArray(IndexField[]::new);
        this.paths = new BlitPath[fields.length];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = BlitPath.compile(fields[i].path().text());
        }
    }

    /**
     * The Lucene entry of document {@code id}.
     *
     * @throws IndexValueException when a value does not fit its field; the caller records it and skips the document
     */
    public Document read(String id, BlitDocument document) {
        builder.begin(id);
        return readFields(document);
    }

    /**
     * The Lucene entry of the document whose store key (lowercased id, UTF-8) is {@code lowerIdKey}, taken as
     * bytes; {@code idForMessages} is asked only when a value is rejected. The entry is valid until the next read.
     */
    public Document read(java.lang.foreign.MemorySegment lowerIdKey, java.util.function.Supplier<String> idForMessages,
                         BlitDocument document) {
        builder.begin(lowerIdKey, idForMessages);
        return readFields(document);
    }

    /** The last entry's id as a Lucene term (a copy): what {@link LuceneIndex#update} replaces by. */
    public org.apache.lucene.util.BytesRef idTerm() {
        return builder.idTerm();
    }

    private Document readFields(BlitDocument document) {
        if (document.rootType() == dev.blitdb.blittable.BlitType.OBJECT) {
            BlitObject top = document.rootObject(root); // once for all paths
            for (int i = 0; i < paths.length; i++) {
                current = fields[i];
                present = false;
                paths[i].forEach(top, visitor);
            }
        }
        return builder.build();
    }

    private void add(BlitValue value) {
        if (!present) {
            builder.present(current);
            present = true;
        }
        if (value.type() == dev.blitdb.blittable.BlitType.ARRAY) {
            BlitArray items = value.asArray(array);
            for (int i = 0; i < items.length(); i++) {
                items.get(i, item);
                if (item.type() == dev.blitdb.blittable.BlitType.ARRAY) {
                    builder.addContainer(current, "array inside an array (use [] in the path for each level)");
                }
                addScalar(item);
            }
            return;
        }
        addScalar(value);
    }

    private void addScalar(BlitValue value) {
        switch (value.type()) {
            case NULL -> builder.addNull(current);
            case BOOLEAN -> builder.addBoolean(current, value.asBoolean());
            case INTEGER -> builder.addLong(current, value.asLong());
            case DECIMAL -> {
                double d = value.asDouble();
                // The JSON spelling (a BigDecimal) only where it is indexed or reported: not for a Double field.
                boolean textNeeded = current.type() != FieldType.DOUBLE
                        && !(current.type() == FieldType.LONG && d == Math.rint(d) && d >= Long.MIN_VALUE && d < 0x1p63);
                builder.addDouble(current, d, textNeeded ? decimalText(value) : null);
            }
            case STRING -> {
                value.asString(string);
                if (current.type() == FieldType.KEYWORD) {
                    builder.addKeywordUtf8(current, string.length(), copyString); // bytes from the page, no String
                } else {
                    builder.addString(current, string.toString());
                }
            }
            case OBJECT -> builder.addContainer(current, "object");
            case ARRAY -> builder.addContainer(current, "array");
        }
    }

    private static String decimalText(BlitValue value) {
        try {
            return value.asBigDecimal().toString();
        } catch (ArithmeticException | NumberFormatException beyondBigDecimal) {
            return Double.toString(value.asDouble());
        }
    }
}
