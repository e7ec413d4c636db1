package dev.blitdb.client.operations;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * A server operation as {@code GET /operations/{id}} shows it (backup, restore, compaction, export, import).
 *
 * @param state  {@code Running}, {@code Completed}, {@code Faulted} or {@code Cancelled}
 * @param result the operation's result fields when {@code Completed}, else null
 * @param error  why it ended when {@code Faulted} or {@code Cancelled}, else null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OperationStatus(@JsonProperty("Id") long id, @JsonProperty("Kind") String kind,
                              @JsonProperty("Database") String database, @JsonProperty("State") String state,
                              @JsonProperty("Progress") Progress progress,
                              @JsonProperty("Result") Map<String, Object> result,
                              @JsonProperty("Error") Error error) {

    /** Whether the operation has ended (any state but {@code Running}). */
    public boolean ended() {
        return !"Running".equals(state);
    }

    /**
     * How far it is: {@code processed} of {@code total} (-1 = unknown) in {@code unit}; {@code percent} and
     * {@code etaSeconds} are -1 while they cannot be computed.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Progress(@JsonProperty("Processed") long processed, @JsonProperty("Total") long total,
                           @JsonProperty("Unit") String unit, @JsonProperty("Percent") double percent,
                           @JsonProperty("BytesPerSecond") long bytesPerSecond,
                           @JsonProperty("EtaSeconds") long etaSeconds) {
    }

    /** The error an operation ended with: the API's error {@code type} and message. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Error(@JsonProperty("Type") String type, @JsonProperty("Message") String message) {
    }
}
