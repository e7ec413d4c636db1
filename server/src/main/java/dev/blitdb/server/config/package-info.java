/** The server's configuration: flags and {@code BLITDB_*} environment variables, parsed and checked once at start. */
package dev.blitdb.server.config;
