/**
 * Query execution: {@link dev.blitdb.indexing.execution.QueryExecutor} picks the index (named, automatic, or a
 * plain collection walk), waits for staleness when asked, searches, and streams documents from one read
 * transaction; {@link dev.blitdb.indexing.execution.AutoIndexPlanner} decides automatic indexes' fields.
 */
package dev.blitdb.indexing.execution;
