package dev.blitdb.server.security.tls;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the server's certificate and key come from: PEM files ({@code --tls-cert}, {@code --tls-key}) or one
 * PKCS#12 file ({@code --tls-keystore}, password from {@code BLITDB_TLS_KEYSTORE_PASSWORD}).
 */
public sealed interface TlsFiles {

    /** The files watched for replacement. */
    List<Path> files();

    /** The certificate chain (leaf first) and the key, both PEM. */
    record PemFiles(Path certificate, Path key) implements TlsFiles {
        @Override
        public List<Path> files() {
            return List.of(certificate, key);
        }
    }

    /** A PKCS#12 key store; the password is not printed anywhere. */
    record Pkcs12File(Path keystore, char[] password) implements TlsFiles {
        @Override
        public List<Path> files() {
            return List.of(keystore);
        }

        @Override
        public String toString() {
            return "Pkcs12File[" + keystore + "]";
        }
    }
}
