package dev.outpost.wire.p2p;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Set;

/**
 * One ICE candidate (RFC 8445 section 5.1) in signalling: a UDP transport address a peer may be reached at.
 *
 * @param type       {@code host}, {@code srflx} (server-reflexive, learned from STUN) or {@code prflx}
 * @param address    an IPv4 or IPv6 literal, never a name (so nothing is looked up)
 * @param port       1-65535
 * @param priority   RFC 8445 section 5.1.2 priority, 1 to 2^31 - 1
 * @param foundation RFC 8445 section 5.1.1.3 foundation, 1-32 ice-chars
 */
public record IceCandidateView(String type, String address, int port, long priority, String foundation) {
    public static final String HOST = "host";
    public static final String SERVER_REFLEXIVE = "srflx";
    public static final String PEER_REFLEXIVE = "prflx";
    private static final Set<String> TYPES = Set.of(HOST, SERVER_REFLEXIVE, PEER_REFLEXIVE);

    public IceCandidateView {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(foundation, "foundation");
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("type: '" + type + "' is not host, srflx or prflx");
        }
        if (address.length() > 45 || !address.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("address: '" + clip(address) + "' is not an IP address literal");
        }
        try {
            InetAddress.ofLiteral(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("address: '" + address + "' is not an IP address literal", e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " is not 1-65535");
        }
        if (priority < 1 || priority > 0x7fffffffL) {
            throw new IllegalArgumentException("priority: " + priority + " is not 1 to 2^31-1");
        }
        // RFC 8445 section 15.1: foundation = 1*32ice-char, ice-char = ALPHA / DIGIT / "+" / "/"
        if (!foundation.matches("[A-Za-z0-9+/]{1,32}")) {
            throw new IllegalArgumentException("foundation: '" + clip(foundation) + "' is not 1-32 ice-chars");
        }
    }

    static String clip(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }
}
