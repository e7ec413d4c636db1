package dev.blitdb.server.http.operations;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.blitdb.server.operations.Operation;
import dev.blitdb.server.operations.Progress;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** An operation as the API shows it ({@code GET /operations/{id}}; the shape is in server/API.md). */
public final class OperationJson {

    private OperationJson() {
    }

    public static void write(JsonGenerator json, Operation op) throws IOException {
        json.writeStartObject();
        json.writeNumberField("Id", op.id());
        json.writeStringField("Kind", op.kind().name());
        if (op.database() != null) {
            json.writeStringField("Database", op.database());
        }
        json.writeStringField("Description", op.description());
        json.writeStringField("State", op.state().name());
        json.writeStringField("StartedAt", op.startedAt().toString());
        if (op.endedAt() != null) {
            json.writeStringField("EndedAt", op.endedAt().toString());
        }
        Progress.Snapshot p = op.progress().snapshot();
        json.writeObjectFieldStart("Progress");
        json.writeNumberField("Processed", p.processed());
        json.writeNumberField("Total", p.total());
        json.writeStringField("Unit", p.unit());
        json.writeNumberField("Percent", p.percent());
        json.writeNumberField("BytesPerSecond", p.bytesPerSecond());
        json.writeNumberField("EtaSeconds", p.etaSeconds());
        json.writeEndObject();
        switch (op.state()) {
            case Completed -> {
                json.writeFieldName("Result");
                value(json, op.result());
            }
            case Faulted, Cancelled -> {
                json.writeObjectFieldStart("Error");
                json.writeStringField("Type", op.errorType());
                json.writeStringField("Message", op.errorMessage());
                json.writeEndObject();
            }
            case Running -> { }
        }
        json.writeEndObject();
    }

    /** Answers 202 {@code {"OperationId"}} with {@code Location: /operations/{id}} for a started operation. */
    public static void accepted(io.undertow.server.HttpServerExchange exchange, Operation op) throws IOException {
        exchange.getResponseHeaders().put(io.undertow.util.Headers.LOCATION, "/operations/" + op.id());
        dev.blitdb.server.http.json.JsonBody.send(exchange, 202, json -> {
            json.writeStartObject();
            json.writeNumberField("OperationId", op.id());
            json.writeEndObject();
        });
    }

    /** Writes a result value: null, string, number, boolean, list or map of those. */
    static void value(JsonGenerator json, Object v) throws IOException {
        switch (v) {
            case null -> json.writeNull();
            case String s -> json.writeString(s);
            case Boolean b -> json.writeBoolean(b);
            case Integer i -> json.writeNumber(i);
            case Long l -> json.writeNumber(l);
            case Double d -> json.writeNumber(d);
            case Number n -> json.writeNumber(n.toString());
            case Map<?, ?> m -> {
                json.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    json.writeFieldName(String.valueOf(e.getKey()));
                    value(json, e.getValue());
                }
                json.writeEndObject();
            }
            case List<?> list -> {
                json.writeStartArray();
                for (Object o : list) {
                    value(json, o);
                }
                json.writeEndArray();
            }
            default -> json.writeString(v.toString());
        }
    }
}
