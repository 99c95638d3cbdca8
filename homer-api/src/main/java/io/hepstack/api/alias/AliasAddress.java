package io.hepstack.api.alias;

import io.hepstack.api.query.Filter;
import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Times;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * The {@code ip} of an alias: one address ({@code 10.0.0.1}, {@code 2001:db8::1}) or a network in CIDR
 * notation ({@code 10.0.0.0/24}, {@code 2001:db8::/32}, RFC 4632 §3.1). A network must be written with
 * its host bits clear: {@code 10.0.0.1/24} is refused rather than silently widened, and a full-length
 * prefix ({@code /32}, {@code /128}) is the address itself.
 */
public final class AliasAddress {

    private static final Pattern PREFIX = Pattern.compile("\\d{1,3}");

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
        InetAddress address = Filter.literalAddress(slash < 0 ? v : v.substring(0, slash));
        if (address == null) {
            throw ApiException.badRequest(field + ": not an address: " + Times.quote(v)
                    + " (expected: an IPv4 or IPv6 address, or a network like 10.0.0.0/24 or 2001:db8::/32)");
        }
        int bits = address instanceof Inet4Address ? 32 : 128;
        if (slash < 0) {
            return text(address.getAddress());
        }
        String prefix = v.substring(slash + 1);
        if (!PREFIX.matcher(prefix).matches() || Integer.parseInt(prefix) > bits) {
            throw ApiException.badRequest(field + ": bad prefix length in " + Times.quote(v)
                    + " (expected: 0 to " + bits + " after the /)");
        }
        int length = Integer.parseInt(prefix);
        if (length == bits) {
            return text(address.getAddress());
        }
        byte[] network = address.getAddress();
        for (int i = 0; i < network.length; i++) {
            int keep = Math.max(0, Math.min(8, length - i * 8));
            network[i] &= (byte) (0xff << (8 - keep));
        }
        String canonical = text(network) + "/" + length;
        if (!java.util.Arrays.equals(network, address.getAddress())) {
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
