/** {@code POST /databases/{db}/admin/compact}: an online compaction as an operation. */
package dev.blitdb.server.http.compaction;
