package dev.blitdb.server.security.setup;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * X.509 certificates built with BouncyCastle's certificate builder and signed by the JDK's providers:
 * EC P-256 keys, SHA-256 with ECDSA, random 128-bit serials. Used by {@code blitdb setup} and by the tests,
 * which need CAs, expired certificates and certificates from unknown CAs.
 */
public final class Certificates {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key pair and its certificate. */
    public record Issued(KeyPair keys, X509Certificate certificate) {
        public PrivateKey privateKey() {
            return keys.getPrivate();
        }
    }

    /** What a certificate is for. */
    public enum Purpose { CA, SERVER, CLIENT }

    private Certificates() {
    }

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
        }
    }

    /** A self-signed CA certificate. */
    public static Issued certificateAuthority(String commonName, Instant notBefore, Instant notAfter) {
        KeyPair keys = newKeyPair();
        return new Issued(keys, build(commonName, keys, null, null, Purpose.CA, List.of(), notBefore, notAfter));
    }

    /**
     * A certificate for {@code commonName} signed by {@code issuer}; {@code names} are its subject alternative
     * names (an IP literal becomes an IP entry, anything else a DNS entry).
     */
    public static Issued issue(Issued issuer, String commonName, Purpose purpose, List<String> names,
                               Instant notBefore, Instant notAfter) {
        KeyPair keys = newKeyPair();
        return new Issued(keys, build(commonName, keys, issuer.certificate(), issuer.privateKey(), purpose, names,
                notBefore, notAfter));
    }

    private static X509Certificate build(String commonName, KeyPair keys, X509Certificate issuer, PrivateKey issuerKey,
                                         Purpose purpose, List<String> names, Instant notBefore, Instant notAfter) {
        try {
            X500Name subject = new X500Name("CN=" + commonName.replace(",", "\\,"));
            X500Name issuerName = issuer == null ? subject
                    : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
            var builder = new JcaX509v3CertificateBuilder(issuerName, new BigInteger(128, RANDOM).abs(),
                    Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
            var ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            if (issuer != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false,
                        ext.createAuthorityKeyIdentifier(issuer.getPublicKey()));
            }
            switch (purpose) {
                case CA -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                }
                case SERVER -> addLeaf(builder, KeyPurposeId.id_kp_serverAuth);
                case CLIENT -> addLeaf(builder, KeyPurposeId.id_kp_clientAuth);
            }
            if (!names.isEmpty()) {
                List<GeneralName> alt = new ArrayList<>();
                for (String name : names) {
                    alt.add(new GeneralName(isIpLiteral(name) ? GeneralName.iPAddress : GeneralName.dNSName, name));
                }
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(alt.toArray(GeneralName[]::new)));
            }
            var signer = new JcaContentSignerBuilder("SHA256withECDSA")
                    .build(issuerKey == null ? keys.getPrivate() : issuerKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("building the certificate for " + commonName + " failed", e);
        }
    }

    private static void addLeaf(X509v3CertificateBuilder builder, KeyPurposeId purpose) throws CertIOException {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
    }

    static boolean isIpLiteral(String name) {
        return name.matches("[0-9.]+") || name.contains(":");
    }

    /** A PKCS#12 file holding {@code issued}'s key and its chain (leaf, then {@code chain}). */
    public static byte[] pkcs12(Issued issued, char[] password, X509Certificate... chain) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            Certificate[] full = new Certificate[chain.length + 1];
            full[0] = issued.certificate();
            System.arraycopy(chain, 0, full, 1, chain.length);
            store.setKeyEntry("blitdb", issued.privateKey(), password, full);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("writing the PKCS#12 file failed", e);
        }
    }
}
