/** Index definitions, one worker thread per index, priorities, staleness, queries: see {@code indexing/README.md}. */
package dev.blitdb.indexing;
