/** How documents become Lucene entries: the typed field mapping and BlitDB's internal fields. */
package dev.blitdb.indexing.lucene;
