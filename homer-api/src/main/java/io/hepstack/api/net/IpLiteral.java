package io.hepstack.api.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IP address literal as the API takes it, never a name: nothing is ever resolved. IPv4 is four decimal octets
 * (RFC 3986 §3.2.2 {@code dec-octet}: 0 to 255 without a leading zero, since {@code 010} is octal 8 to some stacks
 * and 10 to others); IPv6 is any RFC 4291 §2.2 form, its embedded IPv4 part held to the same octets, without a
 * zone or brackets. An IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1}) is the IPv4 address it maps (as the
 * JDK reads it).
 */
public final class IpLiteral {

    /** The longest IPv6 text form (eight groups and an embedded IPv4 address). */
    private static final int MAX_LENGTH = 45;
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
            + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2," + MAX_LENGTH + "}");

    private IpLiteral() {
    }

    /** The address {@code text} spells, or {@code null} when it is not an IP literal (a name, a leading zero...). */
    public static InetAddress parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return null;
        }
        if (text.indexOf(':') < 0) {
            return IPV4.matcher(text).matches() ? ipv4(text) : null;
        }
        if (!IPV6.matcher(text).matches()) {
            return null;
        }
        if (text.indexOf('.') >= 0 && !IPV4.matcher(text.substring(text.lastIndexOf(':') + 1)).matches()) {
            return null; // the embedded IPv4 part, held to the same octets
        }
        try {
            return InetAddress.getByName(text); // a text with ':' and only hex digits is parsed, never looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static InetAddress ipv4(String text) {
        byte[] b = new byte[4];
        int i = 0;
        for (String octet : text.split("\\.")) {
            b[i++] = (byte) Integer.parseInt(octet);
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }
}
