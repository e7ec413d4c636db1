package dev.blitdb.client.operations;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * How much CPU an index's worker thread gets: the server maps these to the thread's nice value (Low 19,
 * Normal 5, High 0). Changing it takes effect live, without a rebuild.
 */
public enum IndexPriority {
    /** nice 19: indexes only when nothing else wants the CPU. */
    LOW("Low"),
    /** nice 5: the default; requests still win over indexing. */
    NORMAL("Normal"),
    /** nice 0: as important as requests. */
    HIGH("High");

    private final String wireName;

    IndexPriority(String wireName) {
        this.wireName = wireName;
    }

    /** The protocol's name ({@code Low}, {@code Normal}, {@code High}). */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The priority of a protocol name, case-insensitively. */
    @JsonCreator
    public static IndexPriority fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
