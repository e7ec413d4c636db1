package dev.blitdb.server.security.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * PEM text in and out, through BouncyCastle's parser and writer: certificate chains, private keys (PKCS#8,
 * or the traditional RSA / EC forms that OpenSSL writes), and the SHA-256 thumbprint that names a certificate.
 * Errors say which file and what it held instead.
 */
public final class Pem {

    private Pem() {
    }

    /** Every certificate in {@code pem}, in order (leaf first for a chain). */
    public static List<X509Certificate> certificates(String pem, String source) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object item;
            while ((item = parser.readObject()) != null) {
                if (item instanceof X509CertificateHolder holder) {
                    out.add(new JcaX509CertificateConverter().getCertificate(holder));
                } else {
                    throw new IOException(source + " holds a " + item.getClass().getSimpleName()
                            + " where a PEM certificate (-----BEGIN CERTIFICATE-----) was expected");
                }
            }
        } catch (CertificateException | RuntimeException e) {
            throw new IOException(source + " is not a readable PEM certificate: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IOException(source + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    public static List<X509Certificate> certificates(Path file) throws IOException {
        return certificates(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    }

    /** The first private key in {@code file} (unencrypted PKCS#8, or traditional RSA / EC). */
    public static PrivateKey privateKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            return privateKey(reader, file.toString());
        }
    }

    public static PrivateKey privateKey(String pem, String source) throws IOException {
        return privateKey(new StringReader(pem), source);
    }

    private static PrivateKey privateKey(Reader reader, String source) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(reader)) {
            Object item;
            while ((item = parser.readObject()) != null) {
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
            }
        } catch (RuntimeException e) {
            throw new IOException(source + " is not a readable PEM private key: " + e.getMessage(), e);
        }
        throw new IOException(source + " holds no unencrypted PEM private key (-----BEGIN PRIVATE KEY----- or "
                + "-----BEGIN EC/RSA PRIVATE KEY-----); an encrypted key must be decrypted first, or use "
                + "--tls-keystore with a PKCS#12 file");
    }

    /** One object (certificate, key) as PEM text. */
    public static String encode(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                if (o instanceof PrivateKey key) {
                    writer.writeObject(new JcaPKCS8Generator(key, null)); // PKCS#8: what every tool reads
                } else {
                    writer.writeObject(o);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("PEM encoding failed", e);
        }
        return text.toString();
    }

    /** The certificate's SHA-256 thumbprint: 64 upper-case hex digits of the hash of its DER encoding. */
    public static String thumbprint(X509Certificate certificate) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.of().withUpperCase().formatHex(hash);
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash certificate " + certificate.getSubjectX500Principal(), e);
        }
    }
}
