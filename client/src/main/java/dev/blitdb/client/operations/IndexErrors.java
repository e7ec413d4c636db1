package dev.blitdb.client.operations;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The documents one index could not index (a string in a {@code Long} field, say): the total and the most recent.
 *
 * @param total  how many errors the index has recorded
 * @param errors the most recent ones
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IndexErrors(@JsonProperty("Name") String name, @JsonProperty("Total") long total,
                          @JsonProperty("Errors") List<IndexError> errors) {

    /** One skipped document and why. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record IndexError(@JsonProperty("Document") String document, @JsonProperty("Etag") long etag,
                             @JsonProperty("Error") String error, @JsonProperty("Timestamp") String timestamp) {
    }
}
