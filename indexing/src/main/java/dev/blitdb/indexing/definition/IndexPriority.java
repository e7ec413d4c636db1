package dev.blitdb.indexing.definition;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * An index's scheduling priority: the nice value of its worker thread. Requests run at nice 0, so a
 * {@code Low} index only gets the CPU the requests leave over; {@code High} competes with them as an equal.
 */
public enum IndexPriority {
    LOW("Low", 19), NORMAL("Normal", 5), HIGH("High", 0);

    private final String wireName;
    private final int nice;

    IndexPriority(String wireName, int nice) {
        this.wireName = wireName;
        this.nice = nice;
    }

    public String wireName() {
        return wireName;
    }

    /** The Linux nice value the worker thread runs at (lower is more CPU). */
    public int nice() {
        return nice;
    }

    public static IndexPriority fromWireName(String name) {
        for (IndexPriority priority : values()) {
            if (priority.wireName.equalsIgnoreCase(name)) {
                return priority;
            }
        }
        throw new IndexDefinitionException("unknown priority '" + name + "'; the priorities are "
                + Arrays.stream(values()).map(IndexPriority::wireName).collect(Collectors.joining(", ")));
    }
}
