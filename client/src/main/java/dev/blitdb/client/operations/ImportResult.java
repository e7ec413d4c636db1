package dev.blitdb.client.operations;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What an import applied: documents, index definitions and hi-lo counters, and the dump's lines read.
 *
 * @param documents        documents stored
 * @param indexDefinitions index definitions created or updated
 * @param hiLo             hi-lo counters raised
 * @param lines            lines of the dump read, header and end record included
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImportResult(@JsonProperty("Documents") long documents,
                           @JsonProperty("IndexDefinitions") long indexDefinitions,
                           @JsonProperty("HiLo") long hiLo,
                           @JsonProperty("Lines") long lines) {
}
