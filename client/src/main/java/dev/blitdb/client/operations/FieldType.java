package dev.blitdb.client.operations;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** How an index field is indexed and compared (indexing/README.md, "How values are indexed"). */
public enum FieldType {
    /** Exact strings (numbers and booleans as their JSON text); equality, ranges, prefixes, sorting. */
    KEYWORD("Keyword"),
    /** Analysed words for {@code search()}; not sortable. */
    TEXT("Text"),
    /** 64-bit integers, compared numerically. */
    LONG("Long"),
    /** Any number, compared numerically. */
    DOUBLE("Double"),
    /** true / false. */
    BOOLEAN("Boolean");

    private final String wireName;

    FieldType(String wireName) {
        this.wireName = wireName;
    }

    /** The protocol's name. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The type of a protocol name, case-insensitively. */
    @JsonCreator
    public static FieldType fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
