package dev.blitdb.indexing.definition;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How an index field stores values. {@code Keyword}: the exact string, for equality, {@code in},
 * {@code startsWith} and sorting. {@code Text}: analysed words, for {@code search}. {@code Long} and
 * {@code Double}: numeric points for ranges and numeric sorting. {@code Boolean}: true/false terms.
 */
public enum FieldType {
    KEYWORD("Keyword"), TEXT("Text"), LONG("Long"), DOUBLE("Double"), BOOLEAN("Boolean");

    private final String wireName;

    FieldType(String wireName) {
        this.wireName = wireName;
    }

    /** The name in definitions and in the API: {@code Keyword}, {@code Text}, ... */
    public String wireName() {
        return wireName;
    }

    /** Parses a wire name, ignoring case; the error lists the valid names. */
    public static FieldType fromWireName(String name, String field) {
        for (FieldType type : values()) {
            if (type.wireName.equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw new IndexDefinitionException("field '" + field + "' has unknown type '" + name + "'; the types are "
                + Arrays.stream(values()).map(FieldType::wireName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return wireName.toLowerCase(Locale.ROOT);
    }
}
