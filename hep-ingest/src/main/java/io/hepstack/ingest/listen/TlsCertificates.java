package io.hepstack.ingest.listen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;

/** The expiry of the TLS listener's certificate chain, exported so that an alert can warn before it. */
final class TlsCertificates {

    private TlsCertificates() {
    }

    /** The earliest notAfter of the PEM chain at {@code chain}: when the first of its certificates expires. */
    static Instant firstExpiry(Path chain) {
        try (InputStream in = Files.newInputStream(chain)) {
            Collection<? extends java.security.cert.Certificate> certs =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            return certs.stream().map(c -> ((X509Certificate) c).getNotAfter().toInstant())
                    .min(Instant::compareTo)
                    .orElseThrow(() -> new IllegalStateException("homer.ingest.tls.certificate: no certificate in " + chain));
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("homer.ingest.tls.certificate: cannot read " + chain + ": " + e.getMessage(), e);
        }
    }
}
