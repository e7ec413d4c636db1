/**
 * Authorization on the HTTP side: {@link dev.blitdb.server.http.security.RoutePermissions}, the one table that
 * maps every route to the permission it needs, the one {@link dev.blitdb.server.http.security.AuthorizationHandler}
 * that enforces it in front of every route, and the security administration routes.
 */
package dev.blitdb.server.http.security;
