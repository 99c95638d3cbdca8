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

    /** No correlation or extra headers: correlation falls back to the Call-ID. */
    public static final ExtractionSettings DEFAULT = new ExtractionSettings(List.of(), List.of());

    public ExtractionSettings {
        correlationHeaders = List.copyOf(correlationHeaders);
        extraHeaders = List.copyOf(extraHeaders);
    }
}
