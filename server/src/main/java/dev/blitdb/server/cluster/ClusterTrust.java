package dev.blitdb.server.cluster;

import dev.blitdb.server.config.ConfigException;
import dev.blitdb.server.security.auth.Clearance;
import dev.blitdb.server.security.auth.Principal;
import dev.blitdb.server.security.tls.Pem;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which certificates belong to the cluster's nodes: {@code --cluster-certs <pem>} lists every node's certificate
 * (the leaf each node serves with {@code --tls-cert}; the same bundle on every node — one shared certificate for
 * all nodes works too). A peer is trusted when its leaf's SHA-256 thumbprint is in the bundle and it is within its
 * validity period, on the Raft links (mutual TLS both ways: the caller must present one, the callee must serve
 * one) and on node-to-node HTTP calls, where the certificate authenticates as a {@code ClusterNode} principal with
 * {@code ClusterAdmin} clearance (creating a database on every node, the topology, membership changes — which are
 * ClusterAdmin routes; a node that replicates every database is trusted with the cluster anyway). Pinning, as the HTTP
 * API's registered client certificates do, rather than "any certificate of this CA": a certificate issued for
 * something else by the same CA does not make a Raft peer. Host names are not checked: the pin is the identity.
 */
public final class ClusterTrust {

    public static final String FLAG = "--cluster-certs";
    public static final String ENV = "BLITDB_CLUSTER_CERTS";
    public static final String NODE_PRINCIPAL = "ClusterNode";

    public static final String USAGE = """
              --cluster-certs <pem>       with TLS on a cluster node: every node's certificate; peers are trusted
                                          (Raft and node-to-node HTTP, mutual TLS) by these   [BLITDB_CLUSTER_CERTS]""";

    private final Path file;
    private final Map<String, X509Certificate> byThumbprint;

    private ClusterTrust(Path file, Map<String, X509Certificate> byThumbprint) {
        this.file = file;
        this.byThumbprint = Map.copyOf(byThumbprint);
    }

    /** The remaining arguments and the {@code --cluster-certs} file, if given. */
    public record Parsed(List<String> rest, Path file) {
    }

    public static Parsed extract(List<String> args, Map<String, String> env) throws ConfigException {
        String value = env.get(ENV);
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith(FLAG + "=")) {
                value = arg.substring(FLAG.length() + 1);
            } else if (arg.equals(FLAG)) {
                if (i + 1 >= args.size()) {
                    throw new ConfigException(FLAG + " needs a PEM file");
                }
                value = args.get(++i);
            } else {
                rest.add(arg);
            }
        }
        return new Parsed(rest, value == null || value.isBlank() ? null : Path.of(value));
    }

    /** Reads the bundle; refuses an empty one. */
    public static ClusterTrust load(Path file) throws IOException {
        Map<String, X509Certificate> certificates = new LinkedHashMap<>();
        for (X509Certificate c : Pem.certificates(file)) {
            certificates.put(Pem.thumbprint(c), c);
        }
        if (certificates.isEmpty()) {
            throw new IOException(FLAG + " " + file + " holds no certificate");
        }
        return new ClusterTrust(file, certificates);
    }

    /** Refuses to start a node whose own certificate its peers would not accept. */
    public void requireMember(X509Certificate own) throws IOException {
        if (!byThumbprint.containsKey(Pem.thumbprint(own))) {
            throw new IOException("this node's certificate " + own.getSubjectX500Principal() + " (thumbprint "
                    + Pem.thumbprint(own) + ") is not in " + FLAG + " " + file + ": its peers would refuse it; "
                    + "put every node's certificate in that file, on every node");
        }
    }

    /** The nodes' certificates as principals, by thumbprint (for the HTTP API's authenticator). */
    public Map<String, Principal> principals() {
        Map<String, Principal> out = new LinkedHashMap<>();
        byThumbprint.forEach((thumbprint, c) -> out.put(thumbprint, new Principal(NODE_PRINCIPAL, thumbprint,
                "cluster node " + c.getSubjectX500Principal().getName(), Clearance.CLUSTER_ADMIN, Map.of())));
        return out;
    }

    /** Accepts exactly the pinned certificates, as client and as server. */
    public X509ExtendedTrustManager trustManager() {
        return new Pinned();
    }

    /** The TLS context of a node's HTTP calls to its peers: its own certificate, trusting only the pinned ones. */
    public SSLContext clientContext(KeyManager nodeKey) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {nodeKey}, new TrustManager[] {trustManager()}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up the cluster's TLS client: " + e.getMessage(), e);
        }
    }

    private final class Pinned extends X509ExtendedTrustManager {

        private void check(X509Certificate[] chain, String side) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the " + side + " sent no certificate: not a cluster node");
            }
            X509Certificate leaf = chain[0];
            String thumbprint = Pem.thumbprint(leaf);
            if (!byThumbprint.containsKey(thumbprint)) {
                throw new CertificateException(side + " certificate " + leaf.getSubjectX500Principal()
                        + " (thumbprint " + thumbprint + ") is not one of the cluster's node certificates in " + file);
            }
            leaf.checkValidity();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, "client");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain, "client");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, "client");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, "server");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain, "server");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, "server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0]; // any issuer: trust comes from the pinned thumbprint
        }
    }
}
