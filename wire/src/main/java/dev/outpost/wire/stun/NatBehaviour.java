package dev.outpost.wire.stun;

/** RFC 4787 sections 4.1 and 5: how a NAT maps and filters, in its terms. */
public enum NatBehaviour {
    /** One mapping (or one open door) for every destination: the friendliest. */
    ENDPOINT_INDEPENDENT("endpoint-independent"),
    /** It depends on the destination's IP address. */
    ADDRESS_DEPENDENT("address-dependent"),
    /** It depends on the destination's IP address and port: the strictest ("symmetric" when it is mapping). */
    ADDRESS_AND_PORT_DEPENDENT("address-and-port-dependent");

    private final String words;

    NatBehaviour(String words) {
        this.words = words;
    }

    /** As RFC 4787 writes it. */
    public String words() {
        return words;
    }
}
