/**
 * The client's typed errors, all unchecked under {@link dev.blitdb.client.exceptions.BlitDbException}. Server
 * answers map by their JSON error {@code Type}: 409 Concurrency → {@code ConcurrencyException}, 404
 * DatabaseDoesNotExist / IndexDoesNotExist, 400 → {@code BadRequestException}, 413, 503; any other error body →
 * {@code ServerErrorException} with its status and type.
 */
package dev.blitdb.client.exceptions;
