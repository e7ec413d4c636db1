package dev.blitdb.client.query;

import java.time.Duration;
import java.util.Map;

/**
 * One query as sent to {@code POST /databases/{db}/queries}: RQL text whose values are all {@code $parameters},
 * the parameters, and whether to wait for the index to catch up.
 *
 * @param waitTimeout how long the server may wait for non-stale results; null = do not wait
 */
public record QueryCommand(String query, Map<String, Object> parameters, Duration waitTimeout) {
}
