package dev.blitdb.client.operations;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The numbers of one index as the server reports them ({@code GET /databases/{db}/indexes/stats}).
 *
 * @param effectiveNice the worker thread's nice value read back from the OS, or null when unknown
 * @param state         {@code Running}, {@code Stopped}, … as the server names it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IndexStats(@JsonProperty("Name") String name,
                         @JsonProperty("Collection") String collection,
                         @JsonProperty("Priority") IndexPriority priority,
                         @JsonProperty("RequestedNice") int requestedNice,
                         @JsonProperty("EffectiveNice") Integer effectiveNice,
                         @JsonProperty("State") String state,
                         @JsonProperty("IsStale") boolean stale,
                         @JsonProperty("Entries") long entries,
                         @JsonProperty("LastIndexedEtag") long lastIndexedEtag,
                         @JsonProperty("DocumentsIndexed") long documentsIndexed,
                         @JsonProperty("DocumentsPerSecond") double documentsPerSecond,
                         @JsonProperty("ErrorsCount") long errorsCount,
                         @JsonProperty("SizeOnDiskInBytes") long sizeOnDiskInBytes) {
}
