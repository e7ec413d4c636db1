package dev.blitdb.server.security.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Predicate;

/**
 * Decides which client certificates a handshake accepts (mutual TLS is requested, not required: API-key clients
 * send none). As in RavenDB, a certificate is trusted because its SHA-256 thumbprint is registered in the
 * security store, not because of who issued it, so a certificate from an unknown CA that nobody registered is
 * refused in the handshake, as is any certificate outside its validity period. Whether a registered certificate
 * still grants anything is decided again on every request (it may be deleted while the connection stays open).
 */
final class ClientCertificateTrust extends X509ExtendedTrustManager {

    private final Predicate<String> registered;

    ClientCertificateTrust(Predicate<String> registered) {
        this.registered = registered;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the client sent an empty certificate chain");
        }
        X509Certificate leaf = chain[0];
        leaf.checkValidity(); // expired or not yet valid: CertificateExpiredException / NotYetValidException
        String thumbprint = Pem.thumbprint(leaf);
        if (!registered.test(thumbprint)) {
            throw new CertificateException("client certificate " + leaf.getSubjectX500Principal() + " (thumbprint "
                    + thumbprint + ") is not registered; register it with PUT /admin/security/certificates");
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the server's trust manager checks clients only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0]; // any issuer: trust comes from the registered thumbprint
    }
}
