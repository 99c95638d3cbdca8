package io.hepstack.ingest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * HEP over TLS with certificates made for the test by {@code openssl}: a CA, a server certificate
 * for 127.0.0.1 and a client certificate, both signed by the CA.
 */
class TlsListenerIT {

    @TempDir
    static Path pki;

    @BeforeAll
    static void makeCertificates() throws Exception {
        openssl("version");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=hepstack test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", "ca.key", "-out", "ca.crt");
        signed("server", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        signed("client", "/CN=capture-agent-2001", "extendedKeyUsage=clientAuth\n");
        openssl("pkcs12", "-export", "-in", "client.crt", "-inkey", "client.key", "-out", "client.p12",
                "-passout", "pass:test");
    }

    /** A key (PKCS#8 PEM, as the collector reads it) and a certificate signed by the test CA. */
    private static void signed(String name, String subject, String extensions) throws Exception {
        Files.writeString(pki.resolve(name + ".ext"), extensions);
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", name + ".key", "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", name + ".ext", "-out", name + ".crt");
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).directory(pki.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("the TLS test makes its certificates with the openssl command, which could not be run "
                    + "(install it: apt-get install openssl): " + e.getMessage());
            return;
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", command) + " failed: " + output);
        }
    }

    private final InMemorySink sink = new InMemorySink();

    private static TestCollector collector(InMemorySink sink, String clientAuth) {
        return new TestCollector(sink, Map.of(
                "homer.ingest.tls.enabled", "true",
                "homer.ingest.tls.host", "127.0.0.1",
                "homer.ingest.tls.port", "0",
                "homer.ingest.tls.certificate", pki.resolve("server.crt").toString(),
                "homer.ingest.tls.private-key", pki.resolve("server.key").toString(),
                "homer.ingest.tls.trusted-certificates", pki.resolve("ca.crt").toString(),
                "homer.ingest.tls.client-auth", clientAuth));
    }

    /** A TLS socket trusting the test CA, presenting the client certificate when {@code withCertificate}. */
    private static SSLSocket connect(InetSocketAddress to, boolean withCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pki.resolve("ca.crt"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (withCertificate) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(pki.resolve("client.p12"))) {
                keys.load(in, "test".toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "test".toCharArray());
        }
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(to.getAddress(), to.getPort());
        s.setSoTimeout(5000);
        return s;
    }

    private static void send(SSLSocket s, byte[] stream) throws IOException {
        OutputStream out = s.getOutputStream();
        for (int pos = 0; pos < stream.length; pos += 1000) {
            out.write(stream, pos, Math.min(1000, stream.length - pos));
        }
        out.flush();
    }

    @Test
    void exportsWhenItsCertificateExpiresForTheExpiryAlert() throws Exception {
        X509Certificate server;
        try (InputStream in = Files.newInputStream(pki.resolve("server.crt"))) {
            server = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        try (TestCollector c = collector(sink, "NONE")) {
            System.gc(); // the gauge must outlive a collection (a registry holds a gauge's object weakly by default)
            assertThat(c.registry.get("hep.tls.certificate.not.after").gauge().value())
                    .isEqualTo((double) server.getNotAfter().toInstant().getEpochSecond());
        }
    }

    @Test
    void storesEveryKamailioFrameSentOverTls() throws Exception {
        try (TestCollector c = collector(sink, "NONE"); SSLSocket s = connect(c.listeners.tlsAddress(), false)) {
            s.startHandshake();
            send(s, KamailioCapture.stream());
            await().atMost(Duration.ofSeconds(20)).until(() -> c.count("hep.messages.stored") == KamailioCapture.MESSAGES);
            assertThat(c.count("hep.packets.received", "transport", "tls")).isEqualTo(KamailioCapture.MESSAGES);
            assertThat(sink.callIds()).hasSize(KamailioCapture.CALL_IDS);
        }
    }

    @Test
    void refusesAClientWithoutCertificateAndAcceptsOneSignedByTheTrustedCaWhenClientAuthIsRequired() throws Exception {
        try (TestCollector c = collector(sink, "REQUIRE")) {
            try (SSLSocket anonymous = connect(c.listeners.tlsAddress(), false)) {
                boolean refused;
                try {
                    anonymous.startHandshake();   // TLS 1.3: the server's refusal may come with the first read
                    send(anonymous, KamailioCapture.stream());
                    refused = anonymous.getInputStream().read() == -1;
                } catch (IOException e) {
                    refused = true;
                }
                assertThat(refused).as("connection without client certificate closed").isTrue();
            }
            assertThat(c.count("hep.packets.received", "transport", "tls")).isZero();

            try (SSLSocket agent = connect(c.listeners.tlsAddress(), true)) {
                agent.startHandshake();
                send(agent, KamailioCapture.stream());
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> c.count("hep.messages.stored") == KamailioCapture.MESSAGES);
            }
            assertThat(c.count("hep.packets.received", "transport", "tls")).isEqualTo(KamailioCapture.MESSAGES);
        }
    }
}
