package dev.blitdb.server.http.tls;

import dev.blitdb.server.security.TlsFixture;

import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * A JSSE client in a child JVM whose TLS 1.3 keys wear out after {@code args[3]} bytes ({@code jdk.tls.keyLimits},
 * read once per JVM, hence the child): it sends {@code args[2]} keep-alive GETs of {@code args[4]} on one
 * connection to 127.0.0.1:{@code args[0]}, trusting the CA in the PEM file {@code args[1]}, and prints
 * "answers N" with the number of 200 answers. Each key update it sends asks the server to update its keys too.
 */
public final class KeyUpdateClient {

    private KeyUpdateClient() {
    }

    public static void main(String[] args) throws Exception {
        // Before any TLS class loads: JSSE reads the limit in a static initialiser.
        Security.setProperty("jdk.tls.keyLimits", "AES/GCM/NoPadding KeyUpdate " + args[3]
                + ", ChaCha20-Poly1305 KeyUpdate " + args[3]);
        X509Certificate ca;
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        var context = TlsFixture.context(ca, null, "TLS");
        int requests = Integer.parseInt(args[2]);
        int answers = 0;
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1",
                Integer.parseInt(args[0]))) {
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < requests; i++) {
                out.write(("GET " + args[4] + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "p".repeat(200)
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (HttpsListenerTest.readResponse(in).startsWith("HTTP/1.1 200")) {
                    answers++;
                }
            }
        }
        System.out.println("answers " + answers);
    }
}
