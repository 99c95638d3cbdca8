package io.hepstack.proto.media;

import java.util.Locale;

/**
 * What the E-model needs of a codec, by its SDP encoding name ({@code a=rtpmap:0 PCMU/8000}): its RTP clock
 * (for jitter in ms), equipment impairment {@code Ie} and packet-loss robustness {@code Bpl}. Values from
 * ITU-T G.113 Appendix I where it gives them (G.711 with its packet loss concealment, G.729A with VAD,
 * G.723.1, GSM-EFR); for the others, documented defaults (docs/media.md): a wideband or modern codec
 * without a narrowband G.113 value is rated as G.711 with concealment, an unknown one too.
 *
 * @param name      the encoding name, upper case
 * @param clockRate the RTP clock in Hz
 * @param ie        equipment impairment factor
 * @param bpl       packet-loss robustness factor
 * @param fromG113  whether {@code ie} and {@code bpl} are G.113's (else the documented default)
 */
public record Codec(String name, int clockRate, double ie, double bpl, boolean fromG113) {

    public static final Codec PCMU = new Codec("PCMU", 8000, 0, 25.1, true);
    public static final Codec PCMA = new Codec("PCMA", 8000, 0, 25.1, true);
    public static final Codec G729 = new Codec("G729", 8000, 11, 19.0, true);
    public static final Codec G723 = new Codec("G723", 8000, 15, 16.1, true);
    public static final Codec GSM_EFR = new Codec("GSM-EFR", 8000, 5, 10.0, true);
    public static final Codec GSM = new Codec("GSM", 8000, 20, 10.0, false);
    public static final Codec ILBC = new Codec("ILBC", 8000, 11, 19.0, false);
    /** G.722's RTP clock is 8000 (RFC 3551), though it samples at 16 kHz. */
    public static final Codec G722 = new Codec("G722", 8000, 0, 25.1, false);
    public static final Codec OPUS = new Codec("OPUS", 48000, 0, 25.1, false);

    private static final Codec[] KNOWN = {PCMU, PCMA, G729, G723, GSM_EFR, GSM, ILBC, G722, OPUS};

    /**
     * The codec of an SDP format as {@code SdpMedia} lists it: an {@code a=rtpmap} encoding
     * ({@code PCMU/8000}, {@code opus/48000/2}) or a static payload number without one ({@code 0}, {@code 8},
     * {@code 18}: RFC 3551); {@code null} for what is not a codec ({@code telephone-event}, comfort noise).
     */
    public static Codec ofSdp(String format) {
        if (format == null || format.isEmpty()) {
            return null;
        }
        int slash = format.indexOf('/');
        if (slash < 0) {
            return switch (format) {
                case "0" -> PCMU;
                case "3" -> GSM;
                case "4" -> G723;
                case "8" -> PCMA;
                case "9" -> G722;
                case "18" -> G729;
                default -> null;
            };
        }
        String name = format.substring(0, slash);
        if (name.equalsIgnoreCase("telephone-event") || name.equalsIgnoreCase("CN")) {
            return null;
        }
        int end = format.indexOf('/', slash + 1);
        int clock;
        try {
            clock = Integer.parseInt(format.substring(slash + 1, end < 0 ? format.length() : end));
        } catch (NumberFormatException e) {
            clock = 8000;
        }
        return of(name, clock);
    }

    /** The codec of an SDP encoding name and clock ({@code PCMU}, {@code opus}, {@code G729}...); unknown ones as G.711. */
    public static Codec of(String encodingName, int clockRate) {
        String name = encodingName == null ? "" : encodingName.toUpperCase(Locale.ROOT);
        for (Codec c : KNOWN) {
            if (c.name.equals(name)) {
                return c;
            }
        }
        return new Codec(name, clockRate > 0 ? clockRate : 8000, PCMU.ie, PCMU.bpl, false);
    }
}
