package dev.blitdb.server.security.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blitdb.server.security.auth.Access;
import dev.blitdb.server.security.auth.ApiKeys;
import dev.blitdb.server.security.auth.Clearance;
import dev.blitdb.server.security.auth.Principal;
import dev.blitdb.server.security.auth.SecuritySnapshot;
import dev.blitdb.server.security.tls.Pem;
import dev.blitdb.storage.documents.DocumentStore;
import dev.blitdb.storage.engine.StoreOptions;
import dev.blitdb.storage.merger.MergerOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The principals (API keys and client certificates) and the audit log, kept in the system database: a BlitDB
 * store of its own in {@code <data>/.system} (the database registry ignores folders starting with a dot, so it
 * is never served as a user database). Documents: {@code apikeys/<id>} (name, clearance, grants, SHA-256 of the
 * key), {@code certificates/<thumbprint>} (name, clearance, grants, the PEM), {@code audit/<sequence>}.
 *
 * <p>Every change is committed durably first, then the in-memory {@link SecuritySnapshot} is replaced, before
 * the caller answers: a deleted key is refused from the very next request. Changes are serialised on this
 * object; requests only read the volatile snapshot.
 */
public final class SecurityStore implements AutoCloseable {

    public static final String FOLDER = ".system";
    static final String KEYS = "apikeys/";
    static final String CERTIFICATES = "certificates/";
    static final String KEYS_COLLECTION = "ApiKeys";
    static final String CERTIFICATES_COLLECTION = "Certificates";

    /** A stored API key as listed (no secret). */
    public record ApiKeyInfo(Principal principal, String created) {
    }

    /** A stored certificate as listed. */
    public record CertificateInfo(Principal principal, String subject, String notAfter, String created) {
    }

    private final SystemDocuments documents;
    private final AuditLog audit;
    private volatile SecuritySnapshot snapshot;

    private SecurityStore(SystemDocuments documents) {
        this.documents = documents;
        this.audit = new AuditLog(documents);
        this.snapshot = load();
    }

    public static SecurityStore open(Path dataDir) throws IOException {
        DocumentStore store = DocumentStore.open(dataDir.resolve(FOLDER), StoreOptions.defaults(),
                MergerOptions.defaults());
        try {
            return new SecurityStore(new SystemDocuments(store));
        } catch (RuntimeException e) {
            store.close();
            throw new IOException("cannot read the security store in " + dataDir.resolve(FOLDER) + ": "
                    + e.getMessage(), e);
        }
    }

    public SecuritySnapshot snapshot() {
        return snapshot;
    }

    public AuditLog audit() {
        return audit;
    }

    /** Creates a key with a fresh random secret; the returned text is shown once and never stored. */
    public synchronized ApiKeys.NewKey createApiKey(String name, Clearance clearance, Map<String, Access> databases) {
        ApiKeys.NewKey key = ApiKeys.generate();
        store(key, name, clearance, databases);
        return key;
    }

    /** Registers an operator-chosen key (the bootstrap key); {@code key} must pass {@link ApiKeys#checkedId}. */
    public synchronized ApiKeys.NewKey importApiKey(String key, String name, Clearance clearance,
                                                    Map<String, Access> databases) {
        ApiKeys.NewKey imported = new ApiKeys.NewKey(ApiKeys.checkedId(key), key);
        if (snapshot.apiKey(imported.id(), 0, imported.id().length()) != null) {
            throw new IllegalArgumentException("an API key with id '" + imported.id() + "' exists already");
        }
        store(imported, name, clearance, databases);
        return imported;
    }

    private void store(ApiKeys.NewKey key, String name, Clearance clearance, Map<String, Access> databases) {
        ObjectNode doc = record(name, clearance, databases);
        doc.put("Id", key.id());
        doc.put("Hash", HexFormat.of().formatHex(ApiKeys.hash(key.text())));
        documents.put(KEYS_COLLECTION, KEYS + key.id(), doc).join();
        snapshot = load();
    }

    public synchronized boolean deleteApiKey(String id) {
        if (snapshot.apiKey(id, 0, id.length()) == null) {
            return false;
        }
        documents.delete(KEYS + id).join();
        snapshot = load();
        return true;
    }

    /** Registers (or replaces, same thumbprint) a client certificate; answers its thumbprint. */
    public synchronized String putCertificate(String name, X509Certificate certificate, Clearance clearance,
                                              Map<String, Access> databases) {
        String thumbprint = Pem.thumbprint(certificate);
        ObjectNode doc = record(name, clearance, databases);
        doc.put("Thumbprint", thumbprint);
        doc.put("Subject", certificate.getSubjectX500Principal().getName());
        doc.put("NotAfter", certificate.getNotAfter().toInstant().toString());
        doc.put("Certificate", Pem.encode(certificate));
        documents.put(CERTIFICATES_COLLECTION, CERTIFICATES + thumbprint, doc).join();
        snapshot = load();
        return thumbprint;
    }

    public synchronized boolean deleteCertificate(String thumbprint) {
        String normalized = thumbprint.replace(":", "").toUpperCase(java.util.Locale.ROOT);
        if (snapshot.certificate(normalized) == null) {
            return false;
        }
        documents.delete(CERTIFICATES + normalized).join();
        snapshot = load();
        return true;
    }

    public List<ApiKeyInfo> apiKeys() {
        List<ApiKeyInfo> out = new ArrayList<>();
        for (JsonNode doc : documents.list(KEYS, 0, Integer.MAX_VALUE)) {
            out.add(new ApiKeyInfo(principal(Principal.API_KEY, doc.path("Id").asText(), doc), doc.path("Created").asText()));
        }
        return out;
    }

    public List<CertificateInfo> certificates() {
        List<CertificateInfo> out = new ArrayList<>();
        for (JsonNode doc : documents.list(CERTIFICATES, 0, Integer.MAX_VALUE)) {
            out.add(new CertificateInfo(principal(Principal.CERTIFICATE, doc.path("Thumbprint").asText(), doc),
                    doc.path("Subject").asText(), doc.path("NotAfter").asText(), doc.path("Created").asText()));
        }
        return out;
    }

    private static ObjectNode record(String name, Clearance clearance, Map<String, Access> databases) {
        ObjectNode doc = SystemDocuments.JSON.createObjectNode();
        doc.put("Name", name);
        doc.put("Clearance", clearance.wireName());
        ObjectNode grants = doc.putObject("Databases");
        databases.forEach((db, access) -> grants.put(db, access.wireName()));
        doc.put("Created", Instant.now().toString());
        return doc;
    }

    private SecuritySnapshot load() {
        List<SecuritySnapshot.ApiKeyEntry> keys = new ArrayList<>();
        for (JsonNode doc : documents.list(KEYS, 0, Integer.MAX_VALUE)) {
            keys.add(new SecuritySnapshot.ApiKeyEntry(principal(Principal.API_KEY, doc.path("Id").asText(), doc),
                    HexFormat.of().parseHex(doc.path("Hash").asText())));
        }
        List<Principal> certificates = new ArrayList<>();
        for (JsonNode doc : documents.list(CERTIFICATES, 0, Integer.MAX_VALUE)) {
            certificates.add(principal(Principal.CERTIFICATE, doc.path("Thumbprint").asText(), doc));
        }
        return new SecuritySnapshot(keys, certificates);
    }

    private static Principal principal(String kind, String id, JsonNode doc) {
        Map<String, Access> grants = new LinkedHashMap<>();
        doc.path("Databases").properties().forEach(e -> grants.put(e.getKey(), Access.parse(e.getValue().asText())));
        return new Principal(kind, id, doc.path("Name").asText(), Clearance.parse(doc.path("Clearance").asText()),
                grants);
    }

    @Override
    public void close() throws IOException {
        documents.store().close();
    }
}
