/** The query route: RQL in, documents streamed out of the store with TotalResults and IsStale. */
package dev.blitdb.server.http.queries;
