package dev.blitdb.client.operations;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What putting one definition did.
 *
 * @param outcome {@code Created}, {@code Replacing} (fields changed: built side by side, swapped in when caught up), {@code Rebuilt} (automatic indexes), {@code PriorityChanged} or {@code Unchanged}
 */
public record PutIndexResult(@JsonProperty("Name") String name, @JsonProperty("Outcome") String outcome) {
}
