package dev.blitdb.client.operations;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A database on the server.
 *
 * @param state   {@code Loading}, {@code Online}, {@code Failed}, {@code Closing} or {@code Closed}
 * @param failure why loading failed, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DatabaseInfo(@JsonProperty("Name") String name, @JsonProperty("State") String state,
                           @JsonProperty("Failure") String failure) {
}
