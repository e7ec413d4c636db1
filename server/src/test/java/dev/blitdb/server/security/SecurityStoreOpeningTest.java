package dev.blitdb.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blitdb.server.http.security.RequestSecurity;
import dev.blitdb.server.security.auth.FailedAuthentications;
import dev.blitdb.server.security.store.SecurityStore;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.util.Methods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The window at start-up between binding the port and opening the security store: every non-public route answers
 * 503 with {@code Retry-After} and a message that says the server is starting (not 401, which would tell a client
 * its key is wrong, nor 500), public routes answer, and the very next request after the store opens is decided
 * normally. The routes are guarded by the server's own {@link RequestSecurity#guard} on a real listener; the
 * store is opened by the test at the moment the server would open it, so the window is held open deterministically.
 */
class SecurityStoreOpeningTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Undertow undertow;
    private SecurityStore store;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        http.close();
        if (undertow != null) {
            undertow.stop();
        }
        if (store != null) {
            store.close();
        }
    }

    private String listen(RequestSecurity security) {
        HttpHandler ok = exchange -> exchange.getResponseSender().send("ok");
        var routes = Handlers.routing()
                .add(Methods.GET, "/databases/{db}/docs", security.guard(Methods.GET, "/databases/{db}/docs", ok))
                .add(Methods.GET, "/admin/security/api-keys",
                        security.guard(Methods.GET, "/admin/security/api-keys", ok))
                .add(Methods.GET, "/health", security.guard(Methods.GET, "/health", ok));
        undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(routes).build();
        undertow.start();
        int port = ((InetSocketAddress) undertow.getListenerInfo().getFirst().getAddress()).getPort();
        return "http://127.0.0.1:" + port;
    }

    private HttpResponse<String> get(String url, String bearer) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static RequestSecurity security(boolean enforced) {
        return new RequestSecurity(enforced, new FailedAuthentications(FailedAuthentications.DEFAULT_MAX_FAILURES,
                FailedAuthentications.DEFAULT_WINDOW_MILLIS), null);
    }

    private static void assertStarting(HttpResponse<String> response, String path) throws Exception {
        assertEquals(503, response.statusCode(), response.body());
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
        assertTrue(response.headers().firstValue("WWW-Authenticate").isEmpty(), "not a 401 challenge");
        JsonNode body = JSON.readTree(response.body());
        assertEquals("DatabaseUnavailable", body.path("Type").asText());
        assertEquals(path, body.path("Url").asText());
        String message = body.path("Message").asText();
        assertTrue(message.contains("starting") && message.contains("security store")
                && message.contains("/health/ready"), message);
    }

    @Test
    void withAuthenticationRequiredEveryProtectedRouteAnswers503UntilTheStoreOpens() throws Exception {
        RequestSecurity security = security(true);
        String base = listen(security);

        // A valid-looking key, a garbage key and no key at all get the same 503: nothing can be checked yet.
        assertStarting(get(base + "/databases/shop/docs?id=a", "admin.0123456789abcdefghijklmnopqrstuvwxyzABCD"),
                "/databases/shop/docs?id=a");
        assertStarting(get(base + "/databases/shop/docs?id=a", "nonsense"), "/databases/shop/docs?id=a");
        assertStarting(get(base + "/admin/security/api-keys", null), "/admin/security/api-keys");
        assertEquals(200, get(base + "/health", null).statusCode(), "liveness is public and answers at once");

        store = SecurityStore.open(dir);
        String key = store.createApiKey("admin", dev.blitdb.server.security.auth.Clearance.CLUSTER_ADMIN,
                java.util.Map.of()).text();
        security.attach(store);

        assertEquals(200, get(base + "/databases/shop/docs?id=a", key).statusCode());
        var refused = get(base + "/databases/shop/docs?id=a", null);
        assertEquals(401, refused.statusCode(), refused.body());
        assertEquals("AuthenticationRequired", JSON.readTree(refused.body()).path("Type").asText());
    }

    @Test
    void withAuthenticationOffProtectedRoutesAlsoWaitForTheStore() throws Exception {
        RequestSecurity security = security(false);
        String base = listen(security);

        // The audit log of administration calls lives in the store, so even an open server cannot serve them yet.
        assertStarting(get(base + "/admin/security/api-keys", null), "/admin/security/api-keys");
        assertStarting(get(base + "/databases/shop/docs?id=a", null), "/databases/shop/docs?id=a");

        store = SecurityStore.open(dir);
        security.attach(store);
        assertEquals(200, get(base + "/databases/shop/docs?id=a", null).statusCode());
        assertEquals(200, get(base + "/admin/security/api-keys", null).statusCode());
    }
}
