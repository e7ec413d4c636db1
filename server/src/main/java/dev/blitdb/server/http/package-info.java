/** HTTP handlers, one per route family; {@code errors}, {@code routing} and {@code body} hold the plumbing. */
package dev.blitdb.server.http;
