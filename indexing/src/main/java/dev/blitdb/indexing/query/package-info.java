/**
 * Queries against one Lucene index: the RQL filter and sort translated with the semantics in
 * {@code indexing/README.md}, and a page of ids with the exact total.
 */
package dev.blitdb.indexing.query;
