/** Small JSON response bodies written with Jackson's generator. */
package dev.blitdb.server.http.json;
