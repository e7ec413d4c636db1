package dev.blitdb.client.http;

import dev.blitdb.client.exceptions.BlitDbException;
import dev.blitdb.client.exceptions.BlitDbTimeoutException;
import dev.blitdb.client.exceptions.NotLeaderException;
import dev.blitdb.client.exceptions.ServiceUnavailableException;
import dev.blitdb.client.exceptions.WriteOutcomeUnknownException;
import dev.blitdb.client.security.ClientSecurity;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends the client's requests over one shared {@link HttpClient} (HTTP/1.1, pooled keep-alive connections;
 * thread-safe). Every request of a store goes through here, so this is where errors become typed exceptions,
 * where idempotent requests are retried once when a pooled connection turns out to be dead, and where requests
 * are counted (tests assert "no request" with {@link #requestCount()}).
 *
 * <p>Several URLs: the executor uses the first one that accepts a connection and sticks to it until it refuses
 * one. With a cluster (server/API.md, "Cluster") it also follows the database group's leader: a write answered
 * 421 {@code NotLeader} was not applied, so it is resent to the leader the answer names (or, during an election,
 * to the next node after a short pause, after refreshing the node list from {@code /cluster/topology}) until the
 * request timeout. The node list is also fetched once, after the first answer that comes from a cluster node (it
 * carries {@code Raft-Applied-Index}), so one URL is enough to find every node. A write whose outcome is unknown — 504 {@code WriteOutcomeUnknown}, or a connection lost after
 * sending — is never resent: it fails with {@link WriteOutcomeUnknownException}.
 */
public final class RequestExecutor implements AutoCloseable {

    private final List<String> urls;
    private static final com.fasterxml.jackson.databind.ObjectMapper TOPOLOGY_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private final HttpClient client;
    private final Duration timeout;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicInteger preferred = new AtomicInteger();
    /** Whether the cluster's node list was fetched (once the first answer shows a cluster node). */
    private final java.util.concurrent.atomic.AtomicBoolean discovered = new java.util.concurrent.atomic.AtomicBoolean();
    private final String authorization;

    /** An executor over {@code urls} (without a trailing slash) with a per-request {@code timeout}. */
    public RequestExecutor(List<String> urls, Duration timeout) {
        this(urls, timeout, ClientSecurity.none());
    }

    /** As {@link #RequestExecutor(List, Duration)}, authenticating and trusting as {@code security} says. */
    public RequestExecutor(List<String> urls, Duration timeout, ClientSecurity security) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("at least one server URL is needed");
        }
        this.urls = new java.util.concurrent.CopyOnWriteArrayList<>(urls.stream().map(RequestExecutor::trim).toList());
        this.timeout = timeout;
        this.authorization = security.apiKey() == null ? null : "Bearer " + security.apiKey();
        // HTTP/1.1 explicitly: the default (HTTP/2 via an h2c upgrade on plain http) costs a failed upgrade round.
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        if (security.sslContext() != null) {
            builder.sslContext(security.sslContext());
        }
        this.client = builder.build();
    }

    private static String trim(String url) {
        URI.create(url); // refuse a malformed URL at construction, not at the first request
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** How many HTTP requests this executor has sent (retries included). */
    public long requestCount() {
        return requests.get();
    }

    /** The URL requests currently go to. */
    public String currentUrl() {
        return urls.get(preferred.get());
    }

    /** Sends {@code call} and returns its answer; errors arrive as {@link BlitDbException} subtypes. */
    public HttpResult execute(HttpCall call) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (; ; ) {
            try {
                return executeOnce(call);
            } catch (NotLeaderException e) {
                // Nothing was written: send it where the leader is (or, in an election, try again shortly).
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                followLeader(e.leaderUrl());
            }
        }
    }

    private void followLeader(String leaderUrl) {
        if (leaderUrl != null) {
            String leader = trim(leaderUrl);
            if (!urls.contains(leader)) {
                urls.add(leader);
            }
            preferred.set(urls.indexOf(leader));
            return;
        }
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlitDbException("interrupted while waiting for a cluster leader", e);
        }
        refreshTopology();
        preferred.set((preferred.get() + 1) % urls.size());
    }

    /** Adds every node {@code /cluster/topology} lists to the URLs (a single server has no such route: ignored). */
    public void refreshTopology() {
        for (String base : List.copyOf(urls)) {
            try {
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(base + "/cluster/topology"))
                        .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                requests.incrementAndGet();
                if (r.statusCode() != 200) {
                    continue;
                }
                for (var node : TOPOLOGY_JSON.readTree(r.body()).path("Nodes")) {
                    String url = node.path("Url").asText(null);
                    if (url != null && !urls.contains(trim(url))) {
                        urls.add(trim(url));
                    }
                }
                return;
            } catch (IOException e) {
                // next node
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private HttpResult executeOnce(HttpCall call) {
        IOException dropped = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                return sendToSomeNode(call);
            } catch (HttpTimeoutException e) {
                throw new BlitDbTimeoutException(call.method() + " " + call.path() + " did not complete within "
                        + timeout.toMillis() + " ms", e);
            } catch (IOException e) {
                dropped = e;
                if (!call.idempotent()) {
                    break;
                }
            }
        }
        if (!call.idempotent()) {
            throw new WriteOutcomeUnknownException(call.method() + " " + call.path() + " failed: the connection was "
                    + "lost (" + dropped + ") after the request was sent; not retried because it may have been applied",
                    dropped);
        }
        throw new BlitDbException(call.method() + " " + call.path() + " failed: the connection was lost ("
                + dropped + ") twice", dropped);
    }

    private HttpResult sendToSomeNode(HttpCall call) throws IOException {
        int start = preferred.get();
        IOException unreachable = null;
        for (int i = 0; i < urls.size(); i++) {
            int node = (start + i) % urls.size();
            try {
                HttpResult result = send(urls.get(node), call);
                preferred.set(node);
                return result;
            } catch (ConnectException | HttpConnectTimeoutException e) {
                unreachable = e; // nothing was sent: trying the next URL is safe for any request
            }
        }
        throw new ServiceUnavailableException("no server answered at " + urls + " (" + unreachable + ")", unreachable);
    }

    private HttpResult send(String base, HttpCall call) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + call.path())).timeout(timeout);
        call.headers().forEach(builder::header);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (call.body() != null) {
            builder.header("Content-Type", "application/json; charset=utf-8");
            builder.method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body()));
        } else {
            builder.method(call.method(), HttpRequest.BodyPublishers.noBody());
        }
        requests.incrementAndGet();
        HttpResponse<byte[]> response;
        try {
            response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlitDbException(call.method() + " " + call.path() + " was interrupted", e);
        }
        // A cluster node's database answers carry its applied Raft index: learn every node from the first one, so
        // that the client can fail over even when the one URL it was given is the node that dies.
        if (!discovered.get() && response.headers().firstValue("Raft-Applied-Index").isPresent()
                && discovered.compareAndSet(false, true)) {
            refreshTopology();
        }
        return check(call, response.statusCode(), response);
    }

    private static HttpResult check(HttpCall call, int status, HttpResponse<byte[]> response) {
        byte[] body = response.body() == null ? new byte[0] : response.body();
        if (status < 300 || status == 304) {
            return new HttpResult(status, response.headers(), body);
        }
        // HEAD answers carry no body, so a 404 cannot say whether the document or the database is missing: the
        // caller gets it and asks again with GET when it needs to know (see SessionAdvanced.exists).
        if (status == 404 && call.allowNotFound() && (isPlainNotFound(body) || call.method().equals("HEAD"))) {
            return new HttpResult(status, response.headers(), body);
        }
        throw ErrorMapper.toException(status, body, call.method(), call.path(),
                response.headers().firstValueAsLong("Retry-After").orElse(0));
    }

    // A missing document answers Type NotFound; a missing database (DatabaseDoesNotExist) must still throw.
    private static boolean isPlainNotFound(byte[] body) {
        return new String(body, 0, Math.min(body.length, 64), java.nio.charset.StandardCharsets.UTF_8)
                .contains("\"Type\":\"NotFound\"");
    }

    /**
     * Sends a streamed request body (bulk insert) to the current URL and completes with the answer, whatever its
     * status (the caller reads error details beyond the common ones), or fails with a {@link BlitDbException}
     * when the exchange itself fails. Streams cannot be replayed, so nothing here is retried, and no timeout
     * applies: a stream lasts as long as its producer.
     */
    public CompletableFuture<HttpResult> stream(String method, String path, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(currentUrl() + path))
                .header("Content-Type", "application/x-ndjson")
                .method(method, body);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        HttpRequest request = builder.build();
        requests.incrementAndGet();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
                        throw new BlitDbException(method + " " + path + " failed: " + cause, cause);
                    }
                    byte[] bytes = response.body() == null ? new byte[0] : response.body();
                    return new HttpResult(response.statusCode(), response.headers(), bytes);
                });
    }

    /**
     * GETs {@code path} and returns the answer's body as a stream to read at the caller's pace (an export): the
     * timeout applies to the answer's start, not to reading it. A non-2xx answer is read whole and thrown as its
     * typed exception. Not retried once the answer started.
     */
    public java.io.InputStream download(String path) {
        HttpCall call = HttpCall.get(path);
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(currentUrl() + path)).timeout(timeout).GET();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        requests.incrementAndGet();
        try {
            HttpResponse<java.io.InputStream> r = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() >= 300) {
                byte[] body;
                try (java.io.InputStream in = r.body()) {
                    body = in.readAllBytes();
                }
                throw ErrorMapper.toException(r.statusCode(), body, "GET", path,
                        r.headers().firstValueAsLong("Retry-After").orElse(0));
            }
            return r.body();
        } catch (HttpTimeoutException e) {
            throw new BlitDbTimeoutException("GET " + call.path() + " did not start answering within "
                    + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new BlitDbException("GET " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlitDbException("GET " + path + " was interrupted", e);
        }
    }

    /**
     * Sends {@code body} as the streamed request body of {@code method path} (an import), read as the connection
     * takes it, and returns the answer; a non-2xx answer is thrown as its typed exception. Not retried (a stream
     * cannot be replayed) and without a timeout (it lasts as long as the stream).
     */
    public HttpResult upload(String method, String path, java.io.InputStream body, String contentType) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(currentUrl() + path))
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> body));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        requests.incrementAndGet();
        HttpResponse<byte[]> response;
        try {
            response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new WriteOutcomeUnknownException(method + " " + path + " failed: the connection was lost (" + e
                    + ") while the stream was sent; part of it may have been applied", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlitDbException(method + " " + path + " was interrupted", e);
        }
        return check(HttpCall.of(method, path, null, false), response.statusCode(), response);
    }

    /** Closes the shared HTTP client and its connections. */
    @Override
    public void close() {
        // HttpClient is AutoCloseable from JDK 21 on; on 17 its threads end once it is unreachable.
        if ((Object) client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new BlitDbException("closing the HTTP client failed", e);
            }
        }
    }
}
