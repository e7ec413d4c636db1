/**
 * Queries: the typed fluent {@link dev.blitdb.client.query.DocumentQuery} compiled to parameterized RQL, raw RQL
 * with {@link dev.blitdb.client.query.RawDocumentQuery}, and {@link dev.blitdb.client.query.QueryStatistics}.
 */
package dev.blitdb.client.query;
