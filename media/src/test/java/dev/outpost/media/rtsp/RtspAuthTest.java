package dev.outpost.media.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtspAuthTest {
    @Test
    void digestWithoutQopMatchesTheRfc2069Example() {
        RtspAuth auth = new RtspAuth("Mufasa", "CircleOfLife");
        assertThat(auth.challenge(List.of(
                "Digest realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""))).isTrue();
        String header = auth.authorization("GET", "/dir/index.html").orElseThrow();
        assertThat(header).startsWith("Digest username=\"Mufasa\"")
                .contains("response=\"1949323746fe6a43ef61f9606e7febea\"")
                .contains("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
    }

    @Test
    void digestIsPreferredOverBasicAndQopAuthCountsNonceUses() {
        RtspAuth auth = new RtspAuth("admin", "pw");
        auth.challenge(List.of("Basic realm=\"cam\"", "Digest realm=\"cam\", nonce=\"abc\", qop=\"auth,auth-int\""));
        String first = auth.authorization("DESCRIBE", "rtsp://cam/main").orElseThrow();
        String second = auth.authorization("SETUP", "rtsp://cam/main/track1").orElseThrow();
        assertThat(first).startsWith("Digest ").contains("qop=auth, nc=00000001");
        assertThat(second).contains("nc=00000002");
    }

    @Test
    void basicWhenThatIsAllTheCameraOffers() {
        RtspAuth auth = new RtspAuth("admin", "p:w");
        assertThat(auth.challenge(List.of("Basic realm=\"cam\""))).isTrue();
        assertThat(auth.authorization("DESCRIBE", "rtsp://cam/")).contains(
                "Basic " + Base64.getEncoder().encodeToString("admin:p:w".getBytes()));
    }

    @Test
    void unknownSchemesAreNotAnswered() {
        RtspAuth auth = new RtspAuth("admin", "pw");
        assertThat(auth.challenge(List.of("Negotiate abc", "Digest realm=\"x\", nonce=\"n\", algorithm=MD5-sess-unknown"))).isFalse();
        assertThat(auth.authorization("DESCRIBE", "rtsp://cam/")).isEmpty();
        assertThat(auth.toString()).doesNotContain("pw");
    }

    @Test
    void quotedParametersMayHoldCommasAndEscapes() {
        assertThat(RtspAuth.parameters("realm=\"a, b\", nonce=\"x\\\"y\", stale=FALSE"))
                .containsEntry("realm", "a, b").containsEntry("nonce", "x\"y").containsEntry("stale", "FALSE");
    }
}
