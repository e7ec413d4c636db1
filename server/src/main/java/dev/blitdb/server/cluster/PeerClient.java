package dev.blitdb.server.cluster;

import dev.blitdb.cluster.topology.ClusterMember;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP calls from one node to another (creating a database everywhere, collecting the topology). In a secured
 * cluster they go over HTTPS with the node's own certificate as the client certificate, and only a peer serving
 * one of the cluster's node certificates is believed ({@link ClusterTrust}).
 */
public final class PeerClient implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http;

    /** Plain HTTP between nodes. */
    public PeerClient() {
        this(null);
    }

    /** @param tls the node's TLS client context ({@link ClusterTrust#clientContext}), or null for plain HTTP */
    public PeerClient(javax.net.ssl.SSLContext tls) {
        var builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(tls == null ? 2 : 5)); // with TLS: the handshake too
        if (tls != null) {
            builder.sslContext(tls);
        }
        http = builder.build();
    }

    /** The answer of a peer, or the reason there was none. */
    public record Answer(int status, String body, String failure) {
    }

    public CompletableFuture<Answer> send(ClusterMember peer, String method, String pathAndQuery, Duration timeout) {
        return send(peer, method, pathAndQuery, null, timeout);
    }

    /** As {@link #send(ClusterMember, String, String, Duration)} with a JSON body (null: none). */
    public CompletableFuture<Answer> send(ClusterMember peer, String method, String pathAndQuery, String json,
                                          Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(peer.url() + pathAndQuery)).timeout(timeout)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        HttpRequest request = b.build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Answer(r.statusCode(), r.body(), null))
                .exceptionally(e -> new Answer(0, null, (e.getCause() == null ? e : e.getCause()).toString()));
    }

    @Override
    public void close() {
        http.close();
    }
}
