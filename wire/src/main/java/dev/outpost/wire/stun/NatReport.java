package dev.outpost.wire.stun;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * What RFC 5780 behaviour discovery found out about the network between this host and a STUN server.
 *
 * @param server       the STUN server asked
 * @param local        this host's address towards the server (its IP on the route there, and the port used)
 * @param mapped       the address the server saw (XOR-MAPPED-ADDRESS); empty when it never answered
 * @param otherAddress the server's alternate address (OTHER-ADDRESS); empty when it cannot do discovery
 * @param mapping      RFC 5780 section 4.3's result; empty when not tested
 * @param filtering    RFC 5780 section 4.4's result; empty when not tested
 */
public record NatReport(InetSocketAddress server, InetSocketAddress local, Optional<InetSocketAddress> mapped,
                        Optional<InetSocketAddress> otherAddress, Optional<NatBehaviour> mapping,
                        Optional<NatBehaviour> filtering) {

    /** No answer at all: UDP to the server is blocked (or it is down). */
    public boolean blocked() {
        return mapped.isEmpty();
    }

    /** Whether the server saw another address than this host's own: a NAT is in the way. */
    public boolean behindNat() {
        return mapped.isPresent() && !mapped.get().equals(local);
    }

    /**
     * How likely peer-to-peer is (RFC 4787 sections 4.1 and 5; RFC 5128 section 3.3): endpoint-independent
     * mapping lets hole punching work whatever the filtering; endpoint-dependent mapping defeats it unless
     * the other side lets anything in.
     */
    public PeerToPeer peerToPeer() {
        if (blocked()) {
            return PeerToPeer.NO;
        }
        return mapping.map(m -> m == NatBehaviour.ENDPOINT_INDEPENDENT ? PeerToPeer.LIKELY : PeerToPeer.UNLIKELY)
                .orElse(PeerToPeer.UNKNOWN);
    }

    public enum PeerToPeer { LIKELY, UNLIKELY, NO, UNKNOWN }
}
