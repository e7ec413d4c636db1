/** The API's error vocabulary ({@link dev.blitdb.server.http.errors.ApiError}) and the one JSON error writer. */
package dev.blitdb.server.http.errors;
