package io.hepstack.proto.model;

import io.hepstack.proto.sip.HeaderExtractor;

import java.util.List;

/**
 * What {@link MessageExtractor} pulls out of SIP beyond the fixed columns.
 *
 * @param correlationHeaders A-leg headers, in order of preference, naming the call another leg belongs
 *                           to ({@code X-CID}, {@code P-Charging-Vector} icid-value...): the first with a
 *                           value becomes the correlation id when the HEP packet carries none
 * @param extraHeaders       further headers kept in the row's {@code extra} JSON under {@code headers}
 */
public record ExtractionSettings(List<HeaderExtractor> correlationHeaders, List<HeaderExtractor> extraHeaders) {

    /**
     * The correlation header every service uses unless configured otherwise (hep-ingest's
     * {@code homer.ingest.extraction.correlation-headers}, homer-api's {@code homer.api.import.correlation-headers}):
     * the B-leg of a B2BUA names its A-leg's Call-ID in it (Kamailio, OpenSIPS and FreeSWITCH conventions).
     */
    public static final String DEFAULT_CORRELATION_HEADER = "X-CID";

    /** The defaults: {@link #DEFAULT_CORRELATION_HEADER} as correlation header, no extra headers. */
    public static final ExtractionSettings DEFAULT =
            new ExtractionSettings(List.of(HeaderExtractor.parse(DEFAULT_CORRELATION_HEADER)), List.of());

    public ExtractionSettings {
        correlationHeaders = List.copyOf(correlationHeaders);
        extraHeaders = List.copyOf(extraHeaders);
    }
}
