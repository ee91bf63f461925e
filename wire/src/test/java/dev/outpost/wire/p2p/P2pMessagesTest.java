package dev.outpost.wire.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.wire.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class P2pMessagesTest {
    private static final IceCredentials CREDENTIALS = new IceCredentials("abcd", "0123456789abcdefghijkl+/");
    private static final IceCandidateView HOST = new IceCandidateView("host", "192.168.10.2", 50000, 2130706431L, "1");
    private static final IceCandidateView REFLEXIVE = new IceCandidateView("srflx", "203.0.113.11", 50000, 1694498815L, "2");

    @Test
    void messagesRoundTripAsJson() {
        P2pOffer offer = new P2pOffer(CREDENTIALS, "cd".repeat(32), List.of(HOST));
        assertThat(Json.read(Json.write(offer), P2pOffer.class)).isEqualTo(offer);
        P2pAnswer answer = new P2pAnswer("0123456789abcdef0123456789abcdef", CREDENTIALS, "ab".repeat(32),
                List.of(HOST, REFLEXIVE));
        assertThat(Json.read(Json.write(answer), P2pAnswer.class)).isEqualTo(answer);
        P2pCandidates more = new P2pCandidates(List.of(REFLEXIVE), true);
        assertThat(Json.read(Json.write(more), P2pCandidates.class)).isEqualTo(more);
    }

    @Test
    void passwordStaysOutOfToString() {
        assertThat(CREDENTIALS.toString()).doesNotContain(CREDENTIALS.password());
    }

    @Test
    void badFieldsAreRefusedByName() {
        assertThatThrownBy(() -> new IceCandidateView("relay", "192.168.10.2", 1, 1, "1"))
                .hasMessageStartingWith("type:");
        assertThatThrownBy(() -> new IceCandidateView("host", "example.com", 1, 1, "1"))
                .hasMessageStartingWith("address:");
        assertThatThrownBy(() -> new IceCandidateView("host", "1.2.3.400", 1, 1, "1"))
                .hasMessageStartingWith("address:");
        assertThatThrownBy(() -> new IceCandidateView("host", "1.2.3.4", 0, 1, "1"))
                .hasMessageStartingWith("port:");
        assertThatThrownBy(() -> new IceCandidateView("host", "1.2.3.4", 1, 0, "1"))
                .hasMessageStartingWith("priority:");
        assertThatThrownBy(() -> new IceCandidateView("host", "1.2.3.4", 1, 1, "a b"))
                .hasMessageStartingWith("foundation:");
        assertThatThrownBy(() -> new IceCredentials("ab", "0123456789abcdefghijkl"))
                .hasMessageStartingWith("ufrag:");
        assertThatThrownBy(() -> new IceCredentials("abcd", "short"))
                .hasMessageStartingWith("password:");
        assertThatThrownBy(() -> new P2pCandidates(Collections.nCopies(17, HOST), false))
                .hasMessageStartingWith("candidates:");
        assertThatThrownBy(() -> new P2pAnswer("NOT-HEX", CREDENTIALS, "ab".repeat(32), List.of()))
                .hasMessageStartingWith("sessionId:");
        assertThatThrownBy(() -> new P2pOffer(CREDENTIALS, "AB".repeat(32), List.of()))
                .hasMessageStartingWith("fingerprint:");
        assertThatThrownBy(() -> new P2pAnswer("0123456789abcdef0123456789abcdef", CREDENTIALS, "ab", List.of()))
                .hasMessageStartingWith("fingerprint:");
    }

    @Test
    void malformedJsonIsRefused() {
        byte[] json = ("{\"credentials\":{\"ufrag\":\"abcd\",\"password\":\"0123456789abcdefghijkl\"},\"fingerprint\":\"" + "ab".repeat(32) + "\",\"candidates\":[{\"type\":\"host\",\"address\":\"::ffff:zz\",\"port\":1,\"priority\":1,\"foundation\":\"1\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Json.read(json, P2pOffer.class)).hasMessageContaining("address:");
    }
}
