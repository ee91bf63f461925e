package dev.outpost.wire.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * RFC 5780's conclusions from its tests' results, and the peer-to-peer verdict drawn from them (the probe
 * itself runs against a real STUN server in the cli and cloud modules' tests).
 */
class NatProbeTest {
    static final InetSocketAddress A = new InetSocketAddress("198.51.100.7", 40000);
    static final InetSocketAddress B = new InetSocketAddress("198.51.100.7", 40001);
    static final InetSocketAddress C = new InetSocketAddress("198.51.100.7", 40002);

    @Test
    void mappingFollowsSection4Point3() {
        assertThat(NatProbe.mapping(A, A, A)).isEqualTo(NatBehaviour.ENDPOINT_INDEPENDENT);
        assertThat(NatProbe.mapping(A, B, B)).isEqualTo(NatBehaviour.ADDRESS_DEPENDENT);
        assertThat(NatProbe.mapping(A, B, C)).isEqualTo(NatBehaviour.ADDRESS_AND_PORT_DEPENDENT);
    }

    @Test
    void filteringFollowsSection4Point4() {
        assertThat(NatProbe.filtering(true, false)).isEqualTo(NatBehaviour.ENDPOINT_INDEPENDENT);
        assertThat(NatProbe.filtering(false, true)).isEqualTo(NatBehaviour.ADDRESS_DEPENDENT);
        assertThat(NatProbe.filtering(false, false)).isEqualTo(NatBehaviour.ADDRESS_AND_PORT_DEPENDENT);
    }

    @Test
    void peerToPeerIsLikelyExactlyWhenMappingIsEndpointIndependent() {
        InetSocketAddress server = new InetSocketAddress("203.0.113.1", 3478);
        InetSocketAddress local = new InetSocketAddress("192.168.1.2", 50000);
        for (NatBehaviour filtering : NatBehaviour.values()) {
            assertThat(report(server, local, NatBehaviour.ENDPOINT_INDEPENDENT, filtering).peerToPeer())
                    .isEqualTo(NatReport.PeerToPeer.LIKELY);
            assertThat(report(server, local, NatBehaviour.ADDRESS_AND_PORT_DEPENDENT, filtering).peerToPeer())
                    .isEqualTo(NatReport.PeerToPeer.UNLIKELY);
        }
        NatReport blocked = new NatReport(server, local, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
        assertThat(blocked.blocked()).isTrue();
        assertThat(blocked.peerToPeer()).isEqualTo(NatReport.PeerToPeer.NO);
        NatReport untested = new NatReport(server, local, Optional.of(A), Optional.empty(), Optional.empty(),
                Optional.empty());
        assertThat(untested.peerToPeer()).isEqualTo(NatReport.PeerToPeer.UNKNOWN);
        assertThat(untested.behindNat()).isTrue();
    }

    static NatReport report(InetSocketAddress server, InetSocketAddress local, NatBehaviour mapping,
                            NatBehaviour filtering) {
        return new NatReport(server, local, Optional.of(A), Optional.of(new InetSocketAddress("203.0.113.2", 3479)),
                Optional.of(mapping), Optional.of(filtering));
    }
}
