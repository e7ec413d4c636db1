/** {@code /operations}: follow, list and cancel long-running work (see {@code dev.blitdb.server.operations}). */
package dev.blitdb.server.http.operations;
