package io.hepstack.api.alias;

import io.hepstack.api.net.IpLiteral;
import io.hepstack.api.net.Network;
import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Times;

import java.net.InetAddress;

/**
 * The {@code ip} of an alias: one address ({@code 10.0.0.1}, {@code 2001:db8::1}) or a network in CIDR
 * notation ({@code 10.0.0.0/24}, {@code 2001:db8::/32}, RFC 4632 §3.1). A network must be written with
 * its host bits clear: {@code 10.0.0.1/24} is refused rather than silently widened, and a full-length
 * prefix ({@code /32}, {@code /128}) is the address itself.
 */
public final class AliasAddress {

    private AliasAddress() {
    }

    /**
     * The canonical text of {@code value} as PostgreSQL's {@code inet} prints it (an address without
     * its prefix, a network with it).
     *
     * @throws ApiException 400 saying what is wrong with the value
     */
    static String parse(String value) {
        return parse("ip", value);
    }

    /**
     * As {@link #parse(String)}, the errors naming {@code field}.
     *
     * @throws ApiException 400 saying what is wrong with the value
     */
    public static String parse(String field, String value) {
        String v = value.trim();
        int slash = v.indexOf('/');
        InetAddress address = IpLiteral.parse(slash < 0 ? v : v.substring(0, slash));
        if (address == null) {
            throw ApiException.badRequest(field + ": not an address: " + Times.quote(v)
                    + " (expected: an IPv4 or IPv6 address, or a network like 10.0.0.0/24 or 2001:db8::/32)");
        }
        Network network = Network.parse(v);
        if (network == null) {
            throw ApiException.badRequest(field + ": bad prefix length in " + Times.quote(v)
                    + " (expected: 0 to " + Network.bits(address) + " after the /)");
        }
        if (network.isHost()) {
            return text(address.getAddress());
        }
        Network base = network.base();
        String canonical = text(base.address().getAddress()) + "/" + base.prefix();
        if (!base.equals(network)) {
            throw ApiException.badRequest(field + ": " + Times.quote(v) + " has host bits set (the network is " + canonical + ")");
        }
        return canonical;
    }

    /** An address as text: dotted IPv4, or IPv6 with the longest run of zero groups as {@code ::} (RFC 5952 §4). */
    static String text(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (address[2 * i] & 0xff) << 8 | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group stays "0" (RFC 5952 §4.2.2)
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLength - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(groups[i]));
        }
        return b.toString();
    }
}
