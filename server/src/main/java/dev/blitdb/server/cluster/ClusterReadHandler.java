package dev.blitdb.server.cluster;

import dev.blitdb.cluster.raft.RaftNode;
import dev.blitdb.cluster.raft.ReplicaGroup;
import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.errors.ErrorResponder;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;

import java.util.Deque;

/**
 * In front of the routes on a cluster node. Every request to {@code /databases/{db}/...} answers with the
 * {@code Raft-Applied-Index} header: the index of the last log entry this node had applied when the request began,
 * so what the request reads includes at least that entry. {@code ?consistency=linearizable} first waits for Ratis's
 * read index (a follower asks the leader, then applies up to it): the read then sees every write acknowledged
 * before it started, on any node. Without it a node reads its own state, which may lag the leader by the lag
 * {@code /cluster/topology} shows.
 */
public final class ClusterReadHandler implements HttpHandler {

    public static final HttpString APPLIED_INDEX = new HttpString("Raft-Applied-Index");
    private static final String PREFIX = "/databases/";

    private final RaftNode node;
    private final HttpHandler next;

    public ClusterReadHandler(RaftNode node, HttpHandler next) {
        this.node = node;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRelativePath();
        if (!path.startsWith(PREFIX)) {
            next.handleRequest(exchange);
            return;
        }
        int end = path.indexOf('/', PREFIX.length());
        String database = path.substring(PREFIX.length(), end < 0 ? path.length() : end);
        ReplicaGroup group = node.group(database).orElse(null);
        if (group == null) {
            next.handleRequest(exchange); // no such database here: the route answers 404
            return;
        }
        Deque<String> consistency = exchange.getQueryParameters().get("consistency");
        String wanted = consistency == null ? null : consistency.peekFirst();
        if (wanted != null && !wanted.equals("linearizable") && !wanted.equals("local")) {
            ErrorResponder.respond(exchange, ApiError.BAD_REQUEST, "consistency must be 'linearizable' or 'local', "
                    + "not '" + wanted + "'");
            return;
        }
        if ("linearizable".equals(wanted)) {
            if (exchange.isInIoThread()) {
                exchange.dispatch(this);
                return;
            }
            try {
                node.readBarrier(group.database()).join();
            } catch (RuntimeException e) {
                ErrorResponder.respond(exchange, e);
                return;
            }
        }
        exchange.getResponseHeaders().put(APPLIED_INDEX, group.stateMachine().appliedIndex());
        next.handleRequest(exchange);
    }
}
