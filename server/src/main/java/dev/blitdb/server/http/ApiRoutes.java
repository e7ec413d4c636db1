package dev.blitdb.server.http;

import dev.blitdb.server.databases.DatabaseRegistry;
import dev.blitdb.server.http.backup.BackupRoutes;
import dev.blitdb.server.http.body.RequestBodyReader;
import dev.blitdb.server.http.databases.DatabaseRoutes;
import dev.blitdb.server.http.documents.DocumentRoutes;
import dev.blitdb.server.http.hilo.HiLoRoutes;
import dev.blitdb.server.http.indexes.IndexRoutes;
import dev.blitdb.server.http.operations.OperationRoutes;
import dev.blitdb.server.http.queries.QueryRoutes;
import dev.blitdb.server.http.routing.Blocking;
import dev.blitdb.server.http.routing.RouteFamily;
import dev.blitdb.server.http.routing.RouteTable;
import dev.blitdb.server.http.stats.StatsRoutes;
import io.undertow.server.HttpHandler;
import io.undertow.util.Methods;

import java.util.ArrayList;
import java.util.List;

/**
 * The one list of the server's route families: health, databases, documents, stats, hilo, indexes, queries and
 * bulk_insert. To add one, write a {@link RouteFamily} in its own package under {@code http} and add it to
 * {@link #families} (the steps are in the {@code http} package's documentation).
 */
public final class ApiRoutes {

    private ApiRoutes() {
    }

    /** Every route family of the API, in registration order. */
    public static List<RouteFamily> families(DatabaseRegistry registry, RequestBodyReader bodyReader) {
        return families(registry, bodyReader, null);
    }

    /** As {@link #families(DatabaseRegistry, RequestBodyReader)}; creates and drops also reach {@code replicas}. */
    public static List<RouteFamily> families(DatabaseRegistry registry, RequestBodyReader bodyReader,
                                             DatabaseRoutes.Replicas replicas) {
        List<RouteFamily> families = new ArrayList<>();
        families.add(routes -> health(routes, registry));
        families.add(new DatabaseRoutes(registry, replicas));
        families.add(new DocumentRoutes(registry, bodyReader));
        families.add(new StatsRoutes(registry));
        families.add(new HiLoRoutes(registry));
        families.add(new IndexRoutes(registry, bodyReader));
        families.add(new QueryRoutes(registry, bodyReader));
        families.add(new dev.blitdb.server.http.bulkinsert.BulkInsertRoutes(registry, bodyReader.maxBytes(),
                bodyReader.budget()));
        families.add(new OperationRoutes(registry.operations()));
        families.add(new BackupRoutes(registry, bodyReader));
        families.add(new dev.blitdb.server.http.compaction.CompactionRoutes(registry));
        families.add(new dev.blitdb.server.http.dump.DumpRoutes(registry, bodyReader.maxBytes()));
        families.add(new dev.blitdb.server.http.studio.StudioRoutes());
        return families;
    }

    /** The routing handler for {@code families}, unmetered and unguarded (tests of routing alone). */
    public static HttpHandler build(List<RouteFamily> families) {
        return table(families, dev.blitdb.server.http.routing.RouteMeter.NONE, RouteTable.Guard.NONE).build();
    }

    /**
     * The route table of {@code families}, each route behind {@code guard} (the server's authorization step) and
     * wrapped by {@code meter} (request metrics); {@link RouteTable#build} makes the routing handler (404 and 405
     * answered as JSON errors).
     */
    public static RouteTable table(List<RouteFamily> families, dev.blitdb.server.http.routing.RouteMeter meter,
                                   RouteTable.Guard guard) {
        RouteTable routes = new RouteTable(meter, guard);
        families.forEach(f -> f.register(routes));
        return routes;
    }

    /** Liveness ({@code /health}: the server answers) and readiness ({@code /health/ready}: every database is online). */
    private static void health(RouteTable routes, DatabaseRegistry registry) {
        HttpHandler health = Blocking.nonBlocking(new HealthHandler());
        HttpHandler ready = Blocking.nonBlocking(new ReadinessHandler(registry));
        routes.add(Methods.GET, "/health", health).add(Methods.HEAD, "/health", health)
                .add(Methods.GET, "/health/ready", ready).add(Methods.HEAD, "/health/ready", ready);
    }
}
