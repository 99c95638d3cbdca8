package io.hepstack.proto.call;

import io.hepstack.proto.media.CallMedia;
import io.hepstack.proto.sip.Sdp;
import io.hepstack.proto.sip.SdpMedia;
import io.hepstack.proto.sip.SipMessage;
import io.hepstack.proto.sip.SipParseException;
import io.hepstack.proto.sip.SipParser;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Where a call's media flows, as its SDP offers and answers say (re-INVITEs included): for each audio
 * {@code m=} line with a port, its address ({@code c=} of the media, else of the session) with the RTP port and
 * the RTCP port after it (RFC 3550 section 11), and the RTP port alone for RTCP multiplexed on it (RFC 5761).
 * A media report that names no call (no correlation id: a capture imported from a PCAP, an agent that does not
 * correlate) is tied to the call whose endpoints it was sent from or to, within the call's time window. Each end
 * is {@code ip:port} as {@link CallMedia#endpoint} writes it.
 */
public final class MediaEndpoints {

    /** How long after a call's last SIP message its media reports are still looked for by address (the last RTCP). */
    public static final java.time.Duration REPORTS_AFTER = java.time.Duration.ofMinutes(1);

    /** The most ends one call may name: a call with more (a conference bridge's SDP) is cut, not read whole. */
    public static final int MAX = 64;

    private final Set<String> ends = new LinkedHashSet<>();

    /** Adds the ends the SDP body of {@code sipPayload} names; anything that is not SIP with SDP adds nothing. */
    public MediaEndpoints add(byte[] sipPayload) {
        if (sipPayload == null || sipPayload.length == 0) {
            return this;
        }
        Sdp sdp;
        try {
            SipMessage sip = SipParser.parse(sipPayload);
            sdp = sip.sdp();
        } catch (SipParseException e) {
            return this;
        }
        return sdp == null ? this : add(sdp);
    }

    /** Adds the ends {@code sdp} names. */
    public MediaEndpoints add(Sdp sdp) {
        for (SdpMedia m : sdp.media()) {
            String address = m.connectionAddress() != null ? m.connectionAddress() : sdp.connectionAddress();
            if (!"audio".equals(m.type()) || address == null || m.port() <= 0 || address.equals("0.0.0.0")) {
                continue;
            }
            add(address, m.port());
            if (m.port() < 65535) {
                add(address, m.port() + 1);
            }
        }
        return this;
    }

    private void add(String address, int port) {
        if (ends.size() < MAX) {
            ends.add(CallMedia.endpoint(address, port));
        }
    }

    /** The ends found, in order of first mention; empty when no SDP named one. */
    public Set<String> ends() {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(ends));
    }

    /** The addresses of the ends, each once (for an index lookup by address before the exact match). */
    public Set<String> addresses() {
        Set<String> out = new LinkedHashSet<>();
        for (String e : ends) {
            String host = e.substring(0, e.lastIndexOf(':'));
            out.add(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        }
        return out;
    }

    /** The ports of the ends, each once. */
    public Set<Integer> ports() {
        Set<Integer> out = new LinkedHashSet<>();
        for (String e : ends) {
            out.add(Integer.parseInt(e.substring(e.lastIndexOf(':') + 1)));
        }
        return out;
    }

    /**
     * The SQL condition (on table alias {@code alias}, "" for none) that finds rows sent from or to any of
     * {@code ends}' addresses and ports, indexed by address ({@code messages_src_ip}, {@code messages_dst_ip}); an
     * address and a port of two different ends match too: {@link #covers} decides each row.
     */
    public static String addressCondition(io.hepstack.proto.query.Sql s, String alias, Set<String> addresses, Set<Integer> ports) {
        String ips = s.bind(addresses.toArray(String[]::new));
        String ps = s.bind(ports.toArray(Integer[]::new));
        return "((" + alias + "src_ip = ANY(" + ips + "::inet[]) AND " + alias + "src_port = ANY(" + ps + ")) OR ("
                + alias + "dst_ip = ANY(" + ips + "::inet[]) AND " + alias + "dst_port = ANY(" + ps + ")))";
    }

    /** Whether a report from {@code source} to {@code destination} ({@code ip:port} each) belongs to these ends. */
    public boolean covers(String source, String destination) {
        return ends.contains(source) || ends.contains(destination);
    }
}
