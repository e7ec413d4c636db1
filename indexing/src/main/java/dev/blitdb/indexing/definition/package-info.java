/**
 * What an index is: {@link dev.blitdb.indexing.definition.IndexDefinition} with its typed fields and declarative
 * paths, and its {@link dev.blitdb.indexing.definition.IndexPriority}. Values only; no I/O.
 */
package dev.blitdb.indexing.definition;
