package dev.outpost.wire.link;

/** How the link's HTTP/2 bytes travel over TLS. */
public enum LinkTransport {
    /** Straight over TLS, selected by the ALPN name {@link LinkProtocol#ALPN}. */
    H2("h2"),
    /** Inside binary WebSocket frames on an ordinary HTTPS request, when a middlebox refuses our ALPN name. */
    WEBSOCKET("websocket");

    private final String label;

    LinkTransport(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static LinkTransport fromLabel(String label) {
        for (LinkTransport t : values()) {
            if (t.label.equals(label)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown link transport: " + label);
    }
}
