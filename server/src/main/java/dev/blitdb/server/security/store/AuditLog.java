package dev.blitdb.server.security.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blitdb.storage.documents.HiLoRange;

import java.time.Instant;
import java.util.List;

/**
 * The append-only audit log: one document {@code audit/<19-digit sequence>} per security or administration
 * action (who, what, when, from which address, outcome) in the system database. Nothing updates or deletes
 * them; ids come from a durable hi-lo sequence, so they only grow (a restart may skip numbers, never reuse one)
 * and id order is time order. An administration call's entry is committed before its response goes out (the
 * worker waits for it); a refusal answered on an IO thread queues its entry without waiting.
 */
public final class AuditLog {

    static final String PREFIX = "audit/";
    static final String COLLECTION = "Audit";
    private static final String SEQUENCE = "audit";
    private static final int RESERVE = 1000;
    private static final System.Logger LOG = System.getLogger(AuditLog.class.getName());

    private final SystemDocuments documents;
    private long next;
    private long last = -1;

    AuditLog(SystemDocuments documents) {
        this.documents = documents;
    }

    /** One action. {@code principal} is a description or "anonymous"; {@code outcome} e.g. "201", "401". */
    public java.util.concurrent.CompletableFuture<?> append(String principal, String address, String action,
                                                           String outcome) {
        ObjectNode entry = SystemDocuments.JSON.createObjectNode();
        entry.put("Time", Instant.now().toString());
        entry.put("Principal", principal);
        entry.put("Address", address);
        entry.put("Action", action);
        entry.put("Outcome", outcome);
        String id;
        synchronized (this) {
            if (next > last) {
                HiLoRange range = documents.store().reserveIds(SEQUENCE, RESERVE).join();
                next = range.first();
                last = range.last();
            }
            id = PREFIX + String.format("%019d", next++);
            entry.put("Sequence", next - 1);
            return documents.put(COLLECTION, id, entry).whenComplete((r, e) -> {
                if (e != null) {
                    LOG.log(System.Logger.Level.ERROR, "audit entry " + id + " (" + action + ") was not stored", e);
                }
            });
        }
    }

    /** Entries in order, skipping {@code start}. */
    public List<JsonNode> page(int start, int pageSize) {
        return documents.list(PREFIX, start, pageSize);
    }
}
