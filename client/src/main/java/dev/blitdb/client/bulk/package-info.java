/**
 * Bulk insert: many documents streamed over one request ({@link dev.blitdb.client.bulk.BulkInsertOperation}).
 */
package dev.blitdb.client.bulk;
