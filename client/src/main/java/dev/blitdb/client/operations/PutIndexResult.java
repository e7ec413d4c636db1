package dev.blitdb.client.operations;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What putting one definition did.
 *
 * @param outcome {@code Created}, {@code Rebuilt} (fields changed), {@code PriorityChanged} or {@code Unchanged}
 */
public record PutIndexResult(@JsonProperty("Name") String name, @JsonProperty("Outcome") String outcome) {
}
