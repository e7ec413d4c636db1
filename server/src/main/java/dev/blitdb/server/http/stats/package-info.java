/** Database and collection statistics routes. */
package dev.blitdb.server.http.stats;
