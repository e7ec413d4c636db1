package dev.blitdb.client.operations;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * One field of an index: where its values are in the document and how they are indexed.
 *
 * @param path a path into the JSON document: {@code Address.City}, {@code Tags[]}, {@code Lines[].Product}
 */
public record IndexField(@JsonProperty("Path") String path, @JsonProperty("Type") FieldType type) {

    public IndexField {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
    }
}
