/** Hi-lo id ranges for clients that generate document ids. */
package dev.blitdb.server.http.hilo;
