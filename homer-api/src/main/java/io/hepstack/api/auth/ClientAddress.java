package io.hepstack.api.auth;

import io.hepstack.api.query.Filter;
import org.springframework.http.server.reactive.ServerHttpRequest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where a request came from: its peer, or, when the peer is a trusted proxy, the right-most address in
 * {@code X-Forwarded-For} that is not a trusted proxy (addresses further left are the client's own claims,
 * which anyone can forge). Only IP literals are read ({@link Filter#literalAddress}): a name in the header
 * never causes a DNS lookup.
 */
final class ClientAddress {

    private final List<Network> trusted;

    /** @throws IllegalArgumentException naming the first entry that is not a network like 10.0.0.0/8 */
    ClientAddress(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(Network::parse).toList();
    }

    String of(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        InetAddress peer = remote == null ? null : remote.getAddress();
        if (peer == null) {
            return "unknown";
        }
        InetAddress client = peer;
        List<String> forwarded = request.getHeaders().getOrEmpty("X-Forwarded-For");
        if (trusted(client) && !forwarded.isEmpty()) {
            String[] hops = String.join(",", forwarded).split(",");
            for (int i = hops.length - 1; i >= 0 && trusted(client); i--) {
                InetAddress hop = Filter.literalAddress(hops[i].trim());
                if (hop == null) {
                    break;
                }
                client = hop;
            }
        }
        return client.getHostAddress();
    }

    /**
     * Whether the request came over TLS: to this server directly, to a proxy the server is told to believe
     * ({@code server.forward-headers-strategy}, which makes the request's scheme https), or to a trusted proxy that
     * says so with {@code X-Forwarded-Proto: https} (its first value: the proxy nearest the client).
     */
    boolean overTls(ServerHttpRequest request) {
        if (request.getSslInfo() != null || "https".equalsIgnoreCase(request.getURI().getScheme())) {
            return true;
        }
        InetSocketAddress remote = request.getRemoteAddress();
        InetAddress peer = remote == null ? null : remote.getAddress();
        String proto = request.getHeaders().getFirst("X-Forwarded-Proto");
        return peer != null && trusted(peer) && proto != null && proto.split(",")[0].trim().equalsIgnoreCase("https");
    }

    private boolean trusted(InetAddress address) {
        for (Network n : trusted) {
            if (n.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** An address and prefix length. */
    record Network(byte[] address, int prefix) {

        static Network parse(String text) {
            int slash = text.indexOf('/');
            InetAddress address = slash < 0 ? null : Filter.literalAddress(text.substring(0, slash).trim());
            int bits = address == null ? -1 : address.getAddress().length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? -1 : Integer.parseInt(text.substring(slash + 1).trim());
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (address == null || prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("homer.api.auth.trusted-proxies: not a network like 10.0.0.0/8 or fc00::/7: \""
                        + text + "\"");
            }
            return new Network(address.getAddress(), prefix);
        }

        boolean contains(InetAddress candidate) {
            byte[] other = candidate.getAddress();
            if (other.length != address.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (other[i] != address[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (other[full] & mask) == (address[full] & mask);
        }
    }
}
