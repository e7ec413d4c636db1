/** The database admin routes: list, create, drop. */
package dev.blitdb.server.http.databases;
