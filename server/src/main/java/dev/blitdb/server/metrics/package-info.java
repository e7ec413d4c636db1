/**
 * {@code GET /metrics}: the Prometheus text format written by the Prometheus Java client. Request metrics are
 * observed per request (one histogram data point per route, method and status, resolved once); everything about
 * databases, stores, mergers and indexes is read at scrape time from the objects that already count it, so reads
 * and queries pay nothing for them. Label values are route templates, methods, statuses, database and index names:
 * never document ids or query text. The metric names are listed in {@code server/API.md}.
 */
package dev.blitdb.server.metrics;
