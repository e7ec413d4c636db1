/**
 * The client's HTTP plumbing: one shared {@link java.net.http.HttpClient} per store, typed error mapping,
 * one retry of idempotent requests on a dropped connection, a request counter. Not meant for applications.
 */
package dev.blitdb.client.http;
