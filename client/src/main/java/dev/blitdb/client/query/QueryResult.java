package dev.blitdb.client.query;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The server's answer to a query: the documents (or projections) of the page and the numbers about it.
 *
 * @param indexName the index that answered, or null when the query walked a collection without an index
 */
public record QueryResult(List<ObjectNode> results, long totalResults, long skippedResults, boolean stale,
                          String indexName, long durationInMs) {
}
