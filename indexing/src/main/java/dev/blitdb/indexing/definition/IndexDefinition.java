package dev.blitdb.indexing.definition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an index is: its name, the collection it reads, its fields, and its priority. Definitions are values:
 * two with the same name, collection and fields index the same thing ({@link #sameContentAs}); a changed
 * content means a rebuild, a changed priority does not.
 *
 * @param name       unique in its database, ignoring case; {@code Auto/...} names are for automatic indexes
 * @param collection the collection whose documents it indexes
 * @param fields     the fields, by name, in the order given
 * @param priority   its worker thread's priority
 */
public record IndexDefinition(String name, String collection, Map<String, IndexField> fields,
                              IndexPriority priority) {

    public static final int MAX_NAME_LENGTH = 256;
    public static final int MAX_FIELDS = 256;
    public static final String AUTO_PREFIX = "Auto/";

    public IndexDefinition {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /**
     * Checks and builds a definition from its parts as a client sends them. Every problem is reported with the
     * index and field it concerns.
     *
     * @param fieldSpecs field name → {path, type} in the client's order
     * @param priority   {@code null} for {@link IndexPriority#NORMAL}
     */
    public static IndexDefinition of(String name, String collection, List<FieldSpec> fieldSpecs, String priority) {
        validateName(name);
        if (collection == null || collection.isBlank()) {
            throw new IndexDefinitionException("index '" + name + "' has no Collection");
        }
        if (fieldSpecs == null || fieldSpecs.isEmpty()) {
            throw new IndexDefinitionException("index '" + name + "' has no Fields");
        }
        if (fieldSpecs.size() > MAX_FIELDS) {
            throw new IndexDefinitionException("index '" + name + "' has " + fieldSpecs.size()
                    + " fields; the limit is " + MAX_FIELDS);
        }
        Map<String, IndexField> fields = new LinkedHashMap<>();
        Map<String, String> seen = new LinkedHashMap<>();
        for (FieldSpec spec : fieldSpecs) {
            if (spec.name() == null || spec.name().isBlank()) {
                throw new IndexDefinitionException("index '" + name + "' has a field with an empty name");
            }
            String previous = seen.put(spec.name().toLowerCase(Locale.ROOT), spec.name());
            if (previous != null) {
                throw new IndexDefinitionException("index '" + name + "' has duplicate field '" + spec.name()
                        + "'" + (previous.equals(spec.name()) ? "" : " (same as '" + previous + "' ignoring case)"));
            }
            if (spec.type() == null || spec.type().isBlank()) {
                throw new IndexDefinitionException("field '" + spec.name() + "' of index '" + name
                        + "' has no Type");
            }
            FieldType type = FieldType.fromWireName(spec.type(), spec.name());
            fields.put(spec.name(), new IndexField(spec.name(), FieldPath.parse(spec.path(), spec.name()), type));
        }
        IndexPriority parsedPriority = priority == null ? IndexPriority.NORMAL : IndexPriority.fromWireName(priority);
        return new IndexDefinition(name, collection, fields, parsedPriority);
    }

    /** A field as the client wrote it, before checking. */
    public record FieldSpec(String name, String path, String type) {
    }

    private static void validateName(String name) {
        if (name == null || name.isBlank()) {
            throw new IndexDefinitionException("an index needs a Name");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IndexDefinitionException("index name is " + name.length() + " characters; the limit is "
                    + MAX_NAME_LENGTH);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '/' || c == '-' || c == '_' || c == '.')) {
                throw new IndexDefinitionException("index name '" + name + "' has '" + c + "' at character "
                        + (i + 1) + "; use letters, digits and / - _ .");
            }
        }
        if (name.startsWith("/") || name.endsWith("/") || name.contains("//")) {
            throw new IndexDefinitionException("index name '" + name + "' has an empty part between slashes");
        }
    }

    /** Whether this is an automatic index, created by queries rather than by a user. */
    public boolean isAuto() {
        return name.regionMatches(true, 0, AUTO_PREFIX, 0, AUTO_PREFIX.length());
    }

    /** Same name, collection and fields (in any order): no rebuild needed, whatever the priorities. */
    public boolean sameContentAs(IndexDefinition other) {
        return name.equalsIgnoreCase(other.name) && collection.equalsIgnoreCase(other.collection)
                && fields.equals(other.fields);
    }

    /** The same index under another name (a replacement built as {@code ReplacementOf/<name>} takes the name). */
    public IndexDefinition withName(String newName) {
        return new IndexDefinition(newName, collection, fields, priority);
    }

    public IndexDefinition withPriority(IndexPriority newPriority) {
        return new IndexDefinition(name, collection, fields, newPriority);
    }

    /** The fields in definition order. */
    public List<IndexField> fieldList() {
        return new ArrayList<>(fields.values());
    }
}
