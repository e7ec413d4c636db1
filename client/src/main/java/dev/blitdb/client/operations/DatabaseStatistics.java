package dev.blitdb.client.operations;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The numbers of one database ({@code GET /databases/{db}/stats}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DatabaseStatistics(@JsonProperty("Database") String database,
                                 @JsonProperty("DatabaseId") String databaseId,
                                 @JsonProperty("CountOfDocuments") long countOfDocuments,
                                 @JsonProperty("CountOfTombstones") long countOfTombstones,
                                 @JsonProperty("CountOfCollections") long countOfCollections,
                                 @JsonProperty("LastEtag") long lastEtag,
                                 @JsonProperty("SizeOnDiskBytes") long sizeOnDiskBytes) {
}
