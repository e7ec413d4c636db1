/** Per-IO-thread pooled fast-path responses: buffers and write callbacks reused, nothing allocated per request. */
package dev.blitdb.server.http.pooling;
