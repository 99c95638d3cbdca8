package io.hepstack.api.share;

import io.hepstack.api.net.IpLiteral;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The masked form of a customer view's addresses: every address that is not one of the view's clear hosts
 * becomes a documentation address, stable within one answer and numbered in order of first appearance,
 * {@code 192.0.2.1}, {@code 192.0.2.2}... (RFC 5737 TEST-NET-1) for IPv4 and {@code 2001:db8:ffff::1}...
 * (RFC 3849) for IPv6, and is named {@code host A}, {@code host B}... in the ladder. The masked form is still
 * an address, so that a PCAP, a SIPp scenario and an SDP body stay well formed.
 *
 * <p>In payloads, every IPv4 literal ({@link IpLiteral}: four decimal octets without a leading zero, not inside
 * a longer number) other than a clear host's is masked, wherever it stands (Via, Contact, Record-Route, SDP
 * {@code c=}/{@code o=}, a User-Agent that looks like one); an IPv6 address is masked where it appears in the
 * text form the flow shows for a host. Payloads are rewritten byte for byte outside the addresses (read as ISO-8859-1).
 */
final class AddressMask {

    /** What may be an IPv4 literal in a text, not inside a longer number; {@link IpLiteral} says whether it is one. */
    private static final Pattern IPV4 = Pattern.compile("(?<![0-9.])\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}(?![0-9]|\\.[0-9])");

    private final Set<String> clear;
    private final Map<String, String> masked = new LinkedHashMap<>();
    /** The masked IPv6 hosts' patterns, in order of masking, each built once, when its host is first masked. */
    private final List<Ipv6Host> ipv6 = new ArrayList<>();
    private int v4;
    private int v6;

    /** A mask that leaves {@code clear} (addresses in the text form the flow shows) as they are. */
    AddressMask(Set<String> clear) {
        this.clear = clear;
    }

    /** The address as the customer sees it: itself when clear (or {@code null}), else its masked form. */
    String address(String ip) {
        if (ip == null || clear.contains(ip)) {
            return ip;
        }
        String shown = masked.get(ip);
        if (shown == null) {
            boolean isIpv6 = ip.indexOf(':') >= 0;
            shown = isIpv6 ? "2001:db8:ffff::" + Integer.toHexString(++v6) : "192.0.2." + (++v4 <= 254 ? v4 : 254);
            masked.put(ip, shown);
            if (isIpv6) {
                ipv6.add(new Ipv6Host(Pattern.compile("(?<![0-9A-Fa-f:])" + Pattern.quote(ip) + "(?![0-9A-Fa-f:])"),
                        Matcher.quoteReplacement(shown)));
            }
        }
        return shown;
    }

    /** A masked IPv6 host: its text form where it stands alone (not inside a longer address), and its replacement. */
    private record Ipv6Host(Pattern text, String replacement) {
    }

    /** Whether {@code ip} is shown masked. */
    boolean masks(String ip) {
        return ip != null && !clear.contains(ip);
    }

    /** The ladder's name of a masked address: {@code host A}, {@code host B}..., in order of masking. */
    String label(String ip) {
        address(ip);
        int n = 0;
        for (String a : masked.keySet()) {
            if (a.equals(ip)) {
                break;
            }
            n++;
        }
        return "host " + letters(n);
    }

    private static String letters(int n) {
        String s = "";
        do {
            s = (char) ('A' + n % 26) + s;
            n = n / 26 - 1;
        } while (n >= 0);
        return s;
    }

    /** The payload with every address not clear replaced by its masked form; {@code null} stays {@code null}. */
    byte[] payload(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        return text(text).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** A text with every address not clear replaced by its masked form. */
    String text(String text) {
        if (text == null) {
            return null;
        }
        // the IPv6 hosts first (their text forms), then every IPv4 literal
        for (Ipv6Host host : ipv6) {
            text = host.text().matcher(text).replaceAll(host.replacement());
        }
        Matcher m = IPV4.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 16);
        while (m.find()) {
            String ip = m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(IpLiteral.parse(ip) != null ? address(ip) : ip));
        }
        m.appendTail(out);
        return out.toString();
    }

}
