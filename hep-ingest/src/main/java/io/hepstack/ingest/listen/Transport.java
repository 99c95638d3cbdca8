package io.hepstack.ingest.listen;

/** The transport a HEP packet arrived on; the {@code transport} label of the received counter. */
public enum Transport {
    UDP, TCP, TLS;

    /** The metric label value. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
