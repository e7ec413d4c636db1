/** The memory-mapped MVCC engine and the document store: see {@code storage/DESIGN.md}. */
package dev.blitdb.storage;
