/**
 * The machinery of index workers: {@link dev.blitdb.indexing.worker.PrioritizedLoop} runs bounded units of work on
 * one platform thread whose nice value follows the index's priority, lowering in place and raising by handing
 * off to a fresh thread from the {@link dev.blitdb.indexing.worker.ThreadSpawner}.
 */
package dev.blitdb.indexing.worker;
