/**
 * The HTTP API: one {@link dev.blitdb.server.http.routing.RouteFamily} per capability, each in its own package
 * ({@code databases}, {@code documents} with bulk_docs, {@code stats}, {@code hilo}, {@code indexes},
 * {@code queries}, {@code bulkinsert}; health and readiness live here), all registered in one place,
 * {@link dev.blitdb.server.http.ApiRoutes#families}. {@code routing} (route table, 404/405, blocking dispatch,
 * parameters), {@code errors} (the one error body and the exception → status mapping), {@code body} (request
 * bodies read once into a per-thread buffer) and {@code json} (the one request-envelope reader and small response
 * bodies) are the plumbing.
 *
 * <h2>Adding a route family</h2>
 * <ol>
 *   <li>Write {@code http/<capability>/<Capability>Routes implements RouteFamily}, as
 *       {@code http/queries/QueryRoutes} does; in {@code register}, add each route with
 *       {@code routes.add(Methods.POST, "/databases/{db}/queries", Blocking.dispatch(handler::handle))}.
 *       {@code Blocking.dispatch} runs the handler on a worker thread in blocking mode and turns anything it
 *       throws into the JSON error; use {@code Blocking.nonBlocking} only for handlers that never block.</li>
 *   <li>In the handler: {@code try (DatabaseLease lease = registry.acquire(Params.path(exchange, "db")))} — the
 *       lease keeps the database open (a drop waits for it) and answers 404/503 for you; read parameters with
 *       {@link dev.blitdb.server.http.routing.Params}; read a JSON request body with
 *       {@link dev.blitdb.server.http.json.JsonEnvelope#read} (so malformed JSON is answered like everywhere else);
 *       stream documents the way {@code documents} does, or send small bodies with
 *       {@link dev.blitdb.server.http.json.JsonBody}.</li>
 *   <li>Throw {@link dev.blitdb.server.http.errors.ApiException} for request errors; map a new lower-layer
 *       exception type once, in {@link dev.blitdb.server.http.errors.ExceptionMapping}.</li>
 *   <li>Add the family to {@link dev.blitdb.server.http.ApiRoutes#families} and describe its routes in
 *       {@code server/API.md}.</li>
 *   <li>Give each route its permission in {@code http/security/RoutePermissions} (one line per route; until then
 *       only ClusterAdmin may call it, and {@code RoutePermissionsTest} fails with the lines to add).</li>
 * </ol>
 */
package dev.blitdb.server.http;
