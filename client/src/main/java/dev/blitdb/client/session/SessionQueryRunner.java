package dev.blitdb.client.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blitdb.client.http.HttpCall;
import dev.blitdb.client.http.HttpResult;
import dev.blitdb.client.http.Urls;
import dev.blitdb.client.query.QueryCommand;
import dev.blitdb.client.query.QueryResult;
import dev.blitdb.client.query.QueryRunner;

import java.util.ArrayList;
import java.util.List;

/** Runs a session's queries: one counted request each, documents joined to the session's identity map. */
final class SessionQueryRunner implements QueryRunner {

    private final DocumentSession session;

    SessionQueryRunner(DocumentSession session) {
        this.session = session;
    }

    @Override
    public QueryResult run(QueryCommand command) {
        ObjectNode body = session.mapper.mapper().createObjectNode();
        body.put("Query", command.query());
        body.set("QueryParameters", session.mapper.mapper().valueToTree(command.parameters()));
        if (command.waitTimeout() != null) {
            body.put("WaitForNonStaleResults", true);
            body.put("WaitForNonStaleResultsTimeoutInMs", command.waitTimeout().toMillis());
        }
        byte[] bytes;
        try {
            bytes = session.mapper.mapper().writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new dev.blitdb.client.exceptions.BlitDbException("cannot write query parameters: "
                    + e.getMessage(), e);
        }
        // A query only reads: retrying it on a dropped connection is safe.
        HttpResult result = session.send(HttpCall.of("POST", Urls.database(session.context.database(), "/queries"),
                bytes, true));
        JsonNode answer = session.parse(result.body());
        List<ObjectNode> docs = new ArrayList<>();
        for (JsonNode d : answer.path("Results")) {
            docs.add((ObjectNode) d);
        }
        JsonNode index = answer.get("IndexName");
        return new QueryResult(docs, answer.path("TotalResults").asLong(), answer.path("SkippedResults").asLong(),
                answer.path("IsStale").asBoolean(), index == null || index.isNull() ? null : index.asText(),
                answer.path("DurationInMs").asLong());
    }

    @Override
    public <T> T track(ObjectNode document, Class<T> type) {
        return session.track(document, type);
    }

    @Override
    public <T> T project(ObjectNode document, Class<T> type) {
        return session.mapper.fromJson(document, type);
    }

    @Override
    public dev.blitdb.client.session.EntityMapper mapper() {
        return session.mapper;
    }

    @Override
    public String collectionName(Class<?> type) {
        return session.mapper.collectionName(type);
    }
}
