package dev.outpost.wire.link;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a recorder serves its API on its own network, as it reports it in its {@link LinkHello}: the cloud's
 * broker hands these to viewers on the same site (LAN Smart Forwarding).
 *
 * @param addresses the recorder's addresses on its LAN, IP literals only, best first; empty when it serves only
 *                  its own machine
 * @param port      the local API's TCP port; 0 when it has none
 * @param scheme    {@code https} (the certificate the cloud issued at activation) or {@code http}
 */
public record LocalEndpoint(List<String> addresses, int port, String scheme) {
    /** The most addresses a hello may carry; a recorder with more reports its first ones. */
    public static final int MAX_ADDRESSES = 16;
    private static final int MAX_ADDRESS_CHARS = 45; // the longest IPv6 text form

    public static final LocalEndpoint NONE = new LocalEndpoint(List.of(), 0, "https");

    public LocalEndpoint {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        scheme = scheme == null ? "https" : scheme.toLowerCase(Locale.ROOT);
        if (addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("local.addresses: at most " + MAX_ADDRESSES + ", not "
                    + addresses.size());
        }
        for (int i = 0; i < addresses.size(); i++) {
            String address = Objects.requireNonNull(addresses.get(i), "local.addresses[" + i + "]");
            if (!isIpLiteral(address)) {
                throw new IllegalArgumentException("local.addresses[" + i + "]: not an IP address: '"
                        + (address.length() > MAX_ADDRESS_CHARS ? address.substring(0, MAX_ADDRESS_CHARS) + "..." : address)
                        + "'");
            }
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("local.port: must be 0 to 65535, not " + port);
        }
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("local.scheme: must be https or http, not '" + scheme + "'");
        }
    }

    /** Whether a viewer could reach it at all: an address and a port. */
    public boolean reachable() {
        return port > 0 && !addresses.isEmpty();
    }

    /** An IPv4 or IPv6 literal; never resolves a name. */
    public static boolean isIpLiteral(String text) {
        if (text.isEmpty() || text.length() > MAX_ADDRESS_CHARS || !text.matches("[0-9A-Fa-f.:]+")) {
            return false;
        }
        // Four dotted decimals only: the JDK also reads inet_aton shorthands such as 10.1 as 10.0.0.1.
        if (!text.contains(":") && !text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            return false;
        }
        try {
            InetAddress.ofLiteral(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
