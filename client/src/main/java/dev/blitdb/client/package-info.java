/**
 * The BlitDB Java client SDK. Start from {@link dev.blitdb.client.DocumentStore}: one per application and
 * database, thread-safe. From it come sessions ({@code openSession()}, the unit of work with identity map, change
 * tracking and optimistic concurrency), queries ({@code session.query(...)}, compiled to parameterized RQL),
 * administration ({@code maintenance()}, {@code maintenance().server()}) and bulk insert ({@code bulkInsert()}).
 * {@link dev.blitdb.client.DocumentConventions} says how classes map to collections, ids and JSON. Errors are
 * the unchecked types of {@code dev.blitdb.client.exceptions}. The README's "Java client" section has a complete
 * example.
 */
package dev.blitdb.client;
