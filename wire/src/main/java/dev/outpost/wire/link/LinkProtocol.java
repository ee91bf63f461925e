package dev.outpost.wire.link;

import java.time.Duration;

/**
 * Constants of the recorder link, shared by both ends. See docs/link.md for the whole protocol.
 */
public final class LinkProtocol {
    /** The private ALPN name that selects a link on the cloud's one TLS port. */
    public static final String ALPN = "outpost-link/1";
    /** The HTTPS path of the WebSocket fallback, for networks whose middleboxes refuse our ALPN name. */
    public static final String WEBSOCKET_PATH = "/link";
    /** The WebSocket subprotocol that says the binary frames carry a link byte stream. */
    public static final String WEBSOCKET_SUBPROTOCOL = "outpost-link.v1";
    /**
     * The cloud pings a link it heard nothing on for this long: at most 25 s, so NAT and conntrack
     * mappings stay, and no more often than needed, since every exchange costs about 234 bytes on
     * the wire (two TLS records and three TCP segments).
     */
    public static final Duration HEARTBEAT = Duration.ofSeconds(24);
    /** A side that has read nothing for this long declares the link dead. */
    public static final Duration DEAD_AFTER = Duration.ofSeconds(60);
    /** The handshake must finish within this, or the connection is dropped (half-open clients). */
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(15);

    private LinkProtocol() {
    }
}
