package dev.blitdb.server.http.security;

import dev.blitdb.server.http.errors.ApiError;
import dev.blitdb.server.http.errors.ErrorResponder;
import dev.blitdb.server.security.auth.Authenticator;
import dev.blitdb.server.security.auth.FailedAuthentications;
import dev.blitdb.server.security.auth.Principal;
import dev.blitdb.server.security.store.AuditLog;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.PathTemplateMatch;

import java.net.InetSocketAddress;

/**
 * The one authorization step, in front of every route's handler (before any dispatch to a worker, so the GET
 * fast path stays on the IO thread): authenticate the request, then check the route's {@link Permission} from
 * {@link RoutePermissions}. Answers 401 {@code AuthenticationRequired} with {@code WWW-Authenticate: Bearer} for
 * a missing, unknown or revoked credential alike; 403 {@code Forbidden} naming the missing permission and the
 * database; 429 with {@code Retry-After} once an address has failed too often. Nothing is allocated on the way
 * to an allowed data request. Administration and security calls, refusals included, go to the audit log.
 */
public final class AuthorizationHandler implements HttpHandler {

    /** The authenticated principal, for handlers that need it (whoami, audit). Absent when auth is off. */
    public static final AttachmentKey<Principal> PRINCIPAL = AttachmentKey.create(Principal.class);

    private static final System.Logger LOG = System.getLogger(AuthorizationHandler.class.getName());
    private static final HttpString RETRY_AFTER = Headers.RETRY_AFTER;
    private static final String CHALLENGE = "Bearer realm=\"BlitDB\"";

    private final RequestSecurity security;
    private final String route;
    private final Permission permission;
    private final HttpHandler next;

    AuthorizationHandler(RequestSecurity security, String route, Permission permission, HttpHandler next) {
        this.security = security;
        this.route = route;
        this.permission = permission;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (permission == Permission.PUBLIC) {
            next.handleRequest(exchange);
            return;
        }
        if (!security.enforced()) {
            if (permission.audited()) {
                audit(exchange, "anonymous (authentication off)");
            }
            next.handleRequest(exchange);
            return;
        }
        Principal principal = security.authenticator().authenticate(exchange);
        FailedAuthentications limiter = security.failures();
        // A blocked address may still use a registered client certificate (it cannot be guessed over HTTP);
        // anything else from it, a right key included, waits, so guessing keys cannot go on.
        if (limiter.anyBlocked() && principal.kind() != Principal.CERTIFICATE) {
            long wait = limiter.retryAfterSeconds(address(exchange), System.currentTimeMillis());
            if (wait > 0) {
                tooMany(exchange, wait);
                return;
            }
        }
        if (principal == Authenticator.NO_CREDENTIAL || principal == Authenticator.BAD_CREDENTIAL) {
            refuse(exchange, principal == Authenticator.BAD_CREDENTIAL);
            return;
        }
        String database = permission instanceof Permission.OnDatabase ? database(exchange) : null;
        if (!permission.allows(principal, database)) {
            forbid(exchange, principal, database);
            return;
        }
        if (permission.audited()) {
            exchange.putAttachment(PRINCIPAL, principal);
            audit(exchange, principal.describe());
        } else if (permission == Permission.AUTHENTICATED) {
            exchange.putAttachment(PRINCIPAL, principal);
        }
        next.handleRequest(exchange);
    }

    private static String database(HttpServerExchange exchange) {
        PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        return match == null ? null : match.getParameters().get("db");
    }

    private void refuse(HttpServerExchange exchange, boolean presented) {
        if (presented) {
            String address = address(exchange);
            long wait = security.failures().recordFailure(address, System.currentTimeMillis());
            // Never the credential itself: only that one was refused, and from where.
            LOG.log(System.Logger.Level.WARNING, "refused credential from " + address + " for "
                    + exchange.getRequestMethod() + " " + exchange.getRequestPath());
            security.audit().append("unknown", address, exchange.getRequestMethod() + " "
                    + exchange.getRequestPath(), wait > 0 ? "429 refused credential, address blocked" : "401 refused credential");
            if (wait > 0) {
                tooMany(exchange, wait);
                return;
            }
        }
        exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, CHALLENGE);
        ErrorResponder.respond(exchange, ApiError.AUTHENTICATION_REQUIRED, exchange.getRequestMethod() + " "
                + exchange.getRequestPath() + " needs a credential: an 'Authorization: Bearer <api key>' header or "
                + "a registered client certificate; none was given, or the one given is not valid");
    }

    private void tooMany(HttpServerExchange exchange, long seconds) {
        exchange.getResponseHeaders().put(RETRY_AFTER, Long.toString(seconds));
        ErrorResponder.respond(exchange, ApiError.TOO_MANY_REQUESTS, "too many failed authentications from "
                + address(exchange) + "; retry after " + seconds + " s");
    }

    private void forbid(HttpServerExchange exchange, Principal principal, String database) {
        String needs = permission instanceof Permission.OnDatabase on
                ? on.access().wireName() + " on database '" + database + "'" : permission.describe();
        String message = principal.describe() + " may not " + exchange.getRequestMethod() + " "
                + exchange.getRequestPath() + ": that needs " + needs;
        security.audit().append(principal.describe(), address(exchange), exchange.getRequestMethod() + " "
                + exchange.getRequestPath(), "403 " + needs + " missing");
        ErrorResponder.respond(exchange, new dev.blitdb.server.http.errors.ApiException(ApiError.FORBIDDEN, message)
                .with("Permission", permission instanceof Permission.OnDatabase on ? on.access().wireName()
                        : permission.describe())
                .with("Database", database));
    }

    private void audit(HttpServerExchange exchange, String who) {
        String address = address(exchange);
        String action = exchange.getRequestMethod() + " " + exchange.getRequestPath()
                + (exchange.getQueryString().isEmpty() ? "" : "?" + exchange.getQueryString());
        AuditLog log = security.audit();
        // When the status is known and before it is sent: on a worker thread the entry is durable first.
        exchange.addResponseCommitListener(done -> {
            var stored = log.append(who, address, action, Integer.toString(done.getStatusCode()));
            if (!done.isInIoThread()) {
                try {
                    stored.join();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "audit entry for " + action + " not stored", e);
                }
            }
        });
    }

    static String address(HttpServerExchange exchange) {
        InetSocketAddress source = exchange.getSourceAddress();
        return source == null || source.getAddress() == null ? "unknown" : source.getAddress().getHostAddress();
    }

    String route() {
        return route;
    }
}
