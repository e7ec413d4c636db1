/** Request bodies: read once into a reusable per-thread buffer, refused with 413 past the limit. */
package dev.blitdb.server.http.body;
