package dev.blitdb.client.operations;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A static index, in DESIGN.md's shape: a name, the collection it covers, its fields, its priority. Build one with
 * {@link #builder(String)}:
 *
 * <pre>{@code
 * IndexDefinition byCity = IndexDefinition.builder("Users/ByCity").collection("Users")
 *     .field("City", "Address.City", FieldType.KEYWORD)
 *     .field("Age", "Age", FieldType.LONG)
 *     .priority(IndexPriority.NORMAL)
 *     .build();
 * store.maintenance().putIndexes(byCity);
 * }</pre>
 * Field names are what queries use ({@code from index 'Users/ByCity' where City = $c}); paths are JSON paths.
 */
public record IndexDefinition(@JsonProperty("Name") String name, @JsonProperty("Collection") String collection,
                              @JsonProperty("Fields") Map<String, IndexField> fields,
                              @JsonProperty("Priority") IndexPriority priority) {

    public IndexDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(collection, "collection");
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        priority = priority == null ? IndexPriority.NORMAL : priority;
    }

    /** A builder for an index called {@code name} (e.g. {@code Users/ByCity}). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Collects the parts of an {@link IndexDefinition}. */
    public static final class Builder {
        private final String name;
        private String collection;
        private final Map<String, IndexField> fields = new LinkedHashMap<>();
        private IndexPriority priority = IndexPriority.NORMAL;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** The collection whose documents the index covers. */
        public Builder collection(String collection) {
            this.collection = collection;
            return this;
        }

        /** A field named {@code name}, read from {@code path}, indexed as {@code type}. */
        public Builder field(String name, String path, FieldType type) {
            if (fields.putIfAbsent(name, new IndexField(path, type)) != null) {
                throw new IllegalArgumentException("field '" + name + "' is defined twice in index " + this.name);
            }
            return this;
        }

        /** A field whose name is its path ({@code Age} from {@code Age}). */
        public Builder field(String path, FieldType type) {
            return field(path, path, type);
        }

        /** The worker's priority (Normal by default). */
        public Builder priority(IndexPriority priority) {
            this.priority = Objects.requireNonNull(priority);
            return this;
        }

        /** The definition; the server checks it again (paths, names) when it is put. */
        public IndexDefinition build() {
            if (collection == null) {
                throw new IllegalStateException("index " + name + " needs a collection");
            }
            if (fields.isEmpty()) {
                throw new IllegalStateException("index " + name + " needs at least one field");
            }
            return new IndexDefinition(name, collection, fields, priority);
        }
    }
}
