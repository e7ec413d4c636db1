package dev.blitdb.client.operations;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** Whether an index is behind the documents, and in what words. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IndexStaleness(@JsonProperty("Name") String name, @JsonProperty("IsStale") boolean stale,
                             @JsonProperty("StalenessReasons") List<String> reasons) {
}
