package dev.outpost.cloud.paths;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The public address of whoever sent a request. It is the TCP peer's, unless that peer is one of the configured
 * trusted proxies (a load balancer in front of the cloud): then it is the nearest address in the proxy's
 * {@code Forwarded} (RFC 7239) or else {@code X-Forwarded-For} header that is not itself a trusted proxy. Those
 * headers are ignored from anyone else, so a viewer cannot claim to stand on a recorder's site.
 */
public final class ClientAddress {
    /** Forwarding chains are short; a longer header is read only this far from its end. */
    static final int MAX_HOPS = 32;

    private final List<Cidr> trustedProxies;

    public ClientAddress(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /** No trusted proxies: every request's address is its TCP peer's. */
    public static ClientAddress direct() {
        return new ClientAddress(List.of());
    }

    public String of(String peer, HttpHeaders headers) {
        if (!trusted(peer)) {
            return peer;
        }
        List<String> chain = forwarded(headers);
        // Right to left: the nearest hop first; each trusted proxy vouches for the hop before it.
        for (int i = chain.size() - 1; i >= 0; i--) {
            String hop = chain.get(i);
            Optional<java.net.InetAddress> address = Cidr.literal(hop);
            if (address.isEmpty()) {
                return peer; // "unknown", an obfuscated id or garbage: nothing before it can be trusted
            }
            String text = address.get().getHostAddress();
            if (!trusted(text)) {
                return text;
            }
        }
        return peer;
    }

    private boolean trusted(String address) {
        return trustedProxies.stream().anyMatch(range -> range.contains(address));
    }

    /** The {@code for} addresses, first (farthest) to last (nearest). */
    static List<String> forwarded(HttpHeaders headers) {
        List<String> rfc7239 = headers.getAll("Forwarded");
        if (!rfc7239.isEmpty()) {
            List<String> hops = new ArrayList<>();
            for (String header : rfc7239) {
                // RFC 7239 section 4: forwarded-element *( "," forwarded-element ), each ";"-separated pairs.
                for (String element : header.split(",")) {
                    hops.add(forNode(element));
                }
            }
            return last(hops);
        }
        List<String> hops = new ArrayList<>();
        for (String header : headers.getAll("X-Forwarded-For")) {
            for (String hop : header.split(",")) {
                hops.add(hop.strip());
            }
        }
        return last(hops);
    }

    /** RFC 7239 section 6: the node of {@code for=}, without quotes, brackets or port; "" when absent. */
    private static String forNode(String element) {
        for (String pair : element.split(";")) {
            int equals = pair.indexOf('=');
            if (equals < 0 || !pair.substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("for")) {
                continue;
            }
            String node = pair.substring(equals + 1).strip();
            if (node.length() >= 2 && node.startsWith("\"") && node.endsWith("\"")) {
                node = node.substring(1, node.length() - 1);
            }
            if (node.startsWith("[")) {
                int close = node.indexOf(']');
                return close < 0 ? "" : node.substring(1, close);
            }
            int colon = node.indexOf(':');
            return colon < 0 ? node : node.substring(0, colon);
        }
        return "";
    }

    private static List<String> last(List<String> hops) {
        return hops.size() <= MAX_HOPS ? hops : hops.subList(hops.size() - MAX_HOPS, hops.size());
    }
}
