package dev.blitdb.indexing.definition;

import java.util.ArrayList;
import java.util.List;

/**
 * A declarative path into a document: property names separated by {@code .}, with {@code []} after a name
 * meaning "each item of this array". {@code Address.City}, {@code Tags[]}, {@code Lines[].Product}.
 * Property names may hold any character but {@code .} and {@code [}.
 *
 * @param text     the path as written
 * @param segments the property names in order
 * @param eachItem for each segment, whether {@code []} follows it
 */
public record FieldPath(String text, List<String> segments, List<Boolean> eachItem) {

    /** Longest path accepted, in characters; deeper documents are still readable, just not indexable by path. */
    public static final int MAX_LENGTH = 512;

    public FieldPath {
        segments = List.copyOf(segments);
        eachItem = List.copyOf(eachItem);
    }

    /** Parses {@code text}; {@code field} names the index field in error messages. */
    public static FieldPath parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new IndexDefinitionException("field '" + field + "' has an empty path");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IndexDefinitionException("field '" + field + "' has a path of " + text.length()
                    + " characters; the limit is " + MAX_LENGTH);
        }
        List<String> segments = new ArrayList<>();
        List<Boolean> eachItem = new ArrayList<>();
        int start = 0;
        while (true) {
            int end = start;
            while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
                end++;
            }
            if (end == start) {
                throw new IndexDefinitionException("field '" + field + "' has path '" + text
                        + "' with an empty property name at character " + (start + 1));
            }
            segments.add(text.substring(start, end));
            boolean each = false;
            if (end < text.length() && text.charAt(end) == '[') {
                if (!text.startsWith("[]", end)) {
                    throw new IndexDefinitionException("field '" + field + "' has path '" + text
                            + "': '[' must be followed by ']' (each item) at character " + (end + 1));
                }
                each = true;
                end += 2;
            }
            eachItem.add(each);
            if (end == text.length()) {
                return new FieldPath(text, segments, eachItem);
            }
            if (text.charAt(end) != '.') {
                throw new IndexDefinitionException("field '" + field + "' has path '" + text
                        + "': expected '.' after '[]' at character " + (end + 1));
            }
            start = end + 1;
            if (start == text.length()) {
                throw new IndexDefinitionException("field '" + field + "' has path '" + text
                        + "' ending in '.'");
            }
        }
    }

    /** Whether the path can yield several values for one document (it crosses an array). */
    public boolean isMultiValued() {
        return eachItem.contains(Boolean.TRUE);
    }
}
