package dev.blitdb.server.http.security;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blitdb.server.databases.DatabaseName;
import dev.blitdb.server.http.body.RequestBodyReader;
import dev.blitdb.server.http.errors.ApiException;
import dev.blitdb.server.http.json.JsonBody;
import dev.blitdb.server.http.json.JsonEnvelope;
import dev.blitdb.server.http.routing.Blocking;
import dev.blitdb.server.http.routing.Params;
import dev.blitdb.server.http.routing.RouteFamily;
import dev.blitdb.server.http.routing.RouteTable;
import dev.blitdb.server.security.auth.Access;
import dev.blitdb.server.security.auth.ApiKeys;
import dev.blitdb.server.security.auth.Clearance;
import dev.blitdb.server.security.auth.Principal;
import dev.blitdb.server.security.store.SecurityStore;
import dev.blitdb.server.security.tls.Pem;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Security administration (ClusterAdmin only, see {@link RoutePermissions}): API keys, client certificates, the
 * audit log, the TLS reload, and {@code whoami}. Each change is durable and in force before the answer is sent.
 */
public final class SecurityRoutes implements RouteFamily {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_AUDIT_PAGE = 1024;

    private final RequestSecurity security;
    private final RequestBodyReader bodyReader;

    public SecurityRoutes(RequestSecurity security, RequestBodyReader bodyReader) {
        this.security = security;
        this.bodyReader = bodyReader;
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Methods.PUT, "/admin/security/api-keys", Blocking.dispatch(this::createKey))
                .add(Methods.GET, "/admin/security/api-keys", Blocking.dispatch(this::listKeys))
                .add(Methods.DELETE, "/admin/security/api-keys", Blocking.dispatch(this::deleteKey))
                .add(Methods.PUT, "/admin/security/certificates", Blocking.dispatch(this::putCertificate))
                .add(Methods.GET, "/admin/security/certificates", Blocking.dispatch(this::listCertificates))
                .add(Methods.DELETE, "/admin/security/certificates", Blocking.dispatch(this::deleteCertificate))
                .add(Methods.GET, "/admin/security/audit", Blocking.dispatch(this::audit))
                .add(Methods.POST, "/admin/security/tls/reload", Blocking.dispatch(this::reloadTls))
                .add(Methods.GET, "/admin/security/whoami", Blocking.dispatch(this::whoami));
    }

    private SecurityStore store() {
        return security.store();
    }

    private void createKey(HttpServerExchange exchange) throws IOException {
        JsonNode body = body(exchange);
        String name = requiredText(body, "Name");
        Clearance clearance = clearance(body);
        Map<String, Access> databases = databases(body, clearance);
        ApiKeys.NewKey key = store().createApiKey(name, clearance, databases);
        JsonBody.send(exchange, 201, json -> {
            json.writeStartObject();
            json.writeStringField("Id", key.id());
            json.writeStringField("Name", name);
            json.writeStringField("Key", key.text());
            json.writeEndObject();
        });
    }

    private void listKeys(HttpServerExchange exchange) throws IOException {
        var keys = store().apiKeys();
        JsonBody.send(exchange, 200, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("Results");
            for (var key : keys) {
                json.writeStartObject();
                json.writeStringField("Id", key.principal().id());
                writePrincipal(json, key.principal());
                json.writeStringField("Created", key.created());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private void deleteKey(HttpServerExchange exchange) {
        String id = Params.required(exchange, "id");
        if (!store().deleteApiKey(id)) {
            throw ApiException.notFound("no API key with id '" + id + "'");
        }
        exchange.setStatusCode(204);
        exchange.endExchange();
    }

    private void putCertificate(HttpServerExchange exchange) throws IOException {
        JsonNode body = body(exchange);
        String name = requiredText(body, "Name");
        String pem = requiredText(body, "Certificate");
        Clearance clearance = clearance(body);
        Map<String, Access> databases = databases(body, clearance);
        List<X509Certificate> certificates;
        try {
            certificates = Pem.certificates(pem, "the Certificate field");
        } catch (IOException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (certificates.size() != 1) {
            throw ApiException.badRequest("Certificate must hold exactly one PEM certificate (the client's own), got "
                    + certificates.size());
        }
        X509Certificate certificate = certificates.getFirst();
        if (certificate.getNotAfter().getTime() < System.currentTimeMillis()) {
            throw ApiException.badRequest("the certificate " + certificate.getSubjectX500Principal()
                    + " expired on " + certificate.getNotAfter().toInstant());
        }
        String thumbprint = store().putCertificate(name, certificate, clearance, databases);
        JsonBody.send(exchange, 201, json -> {
            json.writeStartObject();
            json.writeStringField("Thumbprint", thumbprint);
            json.writeEndObject();
        });
    }

    private void listCertificates(HttpServerExchange exchange) throws IOException {
        var certificates = store().certificates();
        JsonBody.send(exchange, 200, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("Results");
            for (var c : certificates) {
                json.writeStartObject();
                json.writeStringField("Thumbprint", c.principal().id());
                writePrincipal(json, c.principal());
                json.writeStringField("Subject", c.subject());
                json.writeStringField("NotAfter", c.notAfter());
                json.writeStringField("Created", c.created());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private void deleteCertificate(HttpServerExchange exchange) {
        String thumbprint = Params.required(exchange, "thumbprint");
        if (!store().deleteCertificate(thumbprint)) {
            throw ApiException.notFound("no certificate with thumbprint '" + thumbprint + "'");
        }
        exchange.setStatusCode(204);
        exchange.endExchange();
    }

    private void audit(HttpServerExchange exchange) throws IOException {
        int start = (int) Params.number(exchange, "start", 0, 0, Integer.MAX_VALUE);
        int pageSize = (int) Params.number(exchange, "pageSize", 128, 1, MAX_AUDIT_PAGE);
        List<JsonNode> entries = security.audit().page(start, pageSize);
        JsonBody.send(exchange, 200, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("Results");
            for (JsonNode entry : entries) {
                JSON.writeTree(json, entry);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private void reloadTls(HttpServerExchange exchange) throws IOException {
        if (security.tls() == null) {
            throw ApiException.badRequest("this server has no TLS listener (start it with --tls-cert and --tls-key, "
                    + "or --tls-keystore)");
        }
        try {
            security.tls().reload();
        } catch (IOException e) {
            throw ApiException.badRequest("the certificate files cannot be loaded, the old certificate stays in "
                    + "service: " + e.getMessage());
        }
        X509Certificate now = security.tls().certificate();
        JsonBody.send(exchange, 200, json -> {
            json.writeStartObject();
            json.writeStringField("Subject", now.getSubjectX500Principal().getName());
            json.writeStringField("Thumbprint", Pem.thumbprint(now));
            json.writeStringField("NotAfter", now.getNotAfter().toInstant().toString());
            json.writeEndObject();
        });
    }

    private void whoami(HttpServerExchange exchange) throws IOException {
        Principal principal = exchange.getAttachment(AuthorizationHandler.PRINCIPAL);
        JsonBody.send(exchange, 200, json -> {
            json.writeStartObject();
            if (principal == null) {
                json.writeStringField("Kind", "Anonymous");
                json.writeStringField("Clearance", Clearance.CLUSTER_ADMIN.wireName());
                json.writeBooleanField("AuthenticationEnforced", false);
            } else {
                json.writeStringField("Kind", principal.kind());
                json.writeStringField("Id", principal.id());
                writePrincipal(json, principal);
                json.writeBooleanField("AuthenticationEnforced", true);
            }
            json.writeEndObject();
        });
    }

    private static void writePrincipal(JsonGenerator json, Principal principal) throws IOException {
        json.writeStringField("Name", principal.name());
        json.writeStringField("Clearance", principal.clearance().wireName());
        json.writeObjectFieldStart("Databases");
        for (var grant : principal.databases().entrySet()) {
            json.writeStringField(grant.getKey(), grant.getValue().wireName());
        }
        json.writeEndObject();
    }

    /** The body as a small tree, through the one envelope reader (malformed JSON answered as everywhere). */
    private JsonNode body(HttpServerExchange exchange) throws IOException {
        RequestBodyReader.Body body = bodyReader.read(exchange);
        JsonNode node = JsonEnvelope.read(body.array(), body.length(), parser -> {
            JsonNode tree = JSON.readTree(parser);
            JsonEnvelope.requireEnd(parser);
            return tree;
        });
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object, e.g. {\"Name\":\"reporting\","
                    + "\"Clearance\":\"User\",\"Databases\":{\"shop\":\"Read\"}}");
        }
        return node;
    }

    private static String requiredText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw ApiException.badRequest("field '" + field + "' is required and must be a non-empty string");
        }
        return value.asText();
    }

    private static Clearance clearance(JsonNode body) {
        try {
            return Clearance.parse(requiredText(body, "Clearance"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static Map<String, Access> databases(JsonNode body, Clearance clearance) {
        JsonNode value = body.get("Databases");
        Map<String, Access> out = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            if (clearance == Clearance.USER) {
                throw ApiException.badRequest("a User needs 'Databases', e.g. {\"shop\":\"Read\"}");
            }
            return out;
        }
        if (!value.isObject()) {
            throw ApiException.badRequest("'Databases' must be an object of database name → Read, ReadWrite or Admin");
        }
        for (var entry : value.properties()) {
            if (!DatabaseName.isValid(entry.getKey())) {
                throw ApiException.badRequest("'Databases' names '" + entry.getKey() + "', which is not a valid "
                        + "database name");
            }
            try {
                out.put(entry.getKey(), Access.parse(entry.getValue().asText()));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("Databases." + entry.getKey() + ": " + e.getMessage());
            }
        }
        if (clearance != Clearance.USER && !out.isEmpty()) {
            throw ApiException.badRequest(clearance.wireName() + " already has every database; 'Databases' is for "
                    + "the User clearance only");
        }
        return out;
    }

}
