/** The route table (404/405 as JSON errors) and the dispatch of blocking handlers to worker threads. */
package dev.blitdb.server.http.routing;
