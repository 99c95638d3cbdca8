package io.hepstack.api.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An IP network: an address and the length of its prefix (RFC 4632 §3.1, RFC 4291 §2.3), the address read as an
 * {@link IpLiteral}. Its host bits may be set ({@code 10.0.0.1/8} contains what {@code 10.0.0.0/8} does); a caller
 * that refuses them compares with {@link #base()}.
 *
 * @param address the address, IPv4 or IPv6
 * @param prefix  the number of leading bits that name the network, 0 to 32 (IPv4) or 128 (IPv6)
 */
public record Network(InetAddress address, int prefix) {

    private static final Pattern PREFIX = Pattern.compile("\\d{1,3}");

    /** @throws IllegalArgumentException when the prefix does not fit the address's family */
    public Network {
        if (prefix < 0 || prefix > bits(address)) {
            throw new IllegalArgumentException("prefix " + prefix + " (expected: 0 to " + bits(address) + ")");
        }
    }

    /**
     * The network {@code text} spells: {@code ADDRESS/LENGTH} ({@code 10.0.0.0/8}, {@code fc00::/7}) or a lone
     * address (its own network, {@code /32} or {@code /128}); {@code null} when it is neither. Nothing is resolved.
     */
    public static Network parse(String text) {
        if (text == null) {
            return null;
        }
        int slash = text.indexOf('/');
        InetAddress address = IpLiteral.parse(slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            return null;
        }
        if (slash < 0) {
            return new Network(address, bits(address));
        }
        String length = text.substring(slash + 1);
        if (!PREFIX.matcher(length).matches() || Integer.parseInt(length) > bits(address)) {
            return null;
        }
        return new Network(address, Integer.parseInt(length));
    }

    /** The bits of an address of {@code address}'s family: 32 or 128. */
    public static int bits(InetAddress address) {
        return address instanceof Inet6Address ? 128 : 32;
    }

    /** Whether {@code candidate} lies in this network; an address of the other family never does. */
    public boolean contains(InetAddress candidate) {
        byte[] own = address.getAddress();
        byte[] other = candidate.getAddress();
        if (other.length != own.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (other[i] != own[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (other[full] & mask) == (own[full] & mask);
    }

    /** The same network with its host bits clear ({@code 10.0.0.1/8} gives {@code 10.0.0.0/8}). */
    public Network base() {
        byte[] clear = address.getAddress();
        for (int i = 0; i < clear.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            clear[i] &= (byte) (0xff << (8 - keep));
        }
        if (Arrays.equals(clear, address.getAddress())) {
            return this;
        }
        try {
            return new Network(InetAddress.getByAddress(clear), prefix);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes are always an address
        }
    }

    /** Whether the network is one host: its prefix covers every bit. */
    public boolean isHost() {
        return prefix == bits(address);
    }
}
