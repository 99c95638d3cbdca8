package io.hepstack.api.auth;

import io.hepstack.api.net.IpLiteral;
import io.hepstack.api.net.Network;
import org.springframework.http.server.reactive.ServerHttpRequest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where a request came from: its peer, or, when the peer is a trusted proxy, the right-most address in
 * {@code X-Forwarded-For} that is not a trusted proxy (addresses further left are the client's own claims,
 * which anyone can forge). Only IP literals are read ({@link IpLiteral}): a name in the header
 * never causes a DNS lookup.
 */
final class ClientAddress {

    private final List<Network> trusted;

    /** @throws IllegalArgumentException naming the first entry that is not a network like 10.0.0.0/8 */
    ClientAddress(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(ClientAddress::network).toList();
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
                InetAddress hop = IpLiteral.parse(hops[i].trim());
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

    /** A trusted proxy's network: {@code ADDRESS/LENGTH}, blanks allowed around either part. */
    private static Network network(String text) {
        int slash = text.indexOf('/');
        Network n = slash < 0 ? null
                : Network.parse(text.substring(0, slash).trim() + "/" + text.substring(slash + 1).trim());
        if (n == null) {
            throw new IllegalArgumentException("homer.api.auth.trusted-proxies: not a network like 10.0.0.0/8 or fc00::/7: \""
                    + text + "\"");
        }
        return n;
    }
}
