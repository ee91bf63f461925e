package dev.outpost.wire.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.wire.json.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalEndpointTest {
    private static final LocalEndpoint LAN = new LocalEndpoint(List.of("192.168.10.2", "fd00::2"), 7443, "https");

    @Test
    void aHelloWithItsLocalEndpointRoundTrips() {
        LinkHello hello = new LinkHello("r7kq2m0abc", "s3cret", "outpost-recorder/1", false, LAN);
        ByteBuf frame = LinkHandshakeCodec.encode(UnpooledByteBufAllocator.DEFAULT, hello);
        try {
            assertThat(LinkHandshakeCodec.decode(LinkHandshakeCodec.takeFrame(frame), LinkHello.class)).isEqualTo(hello);
        } finally {
            frame.release();
        }
    }

    @Test
    void aHelloFromAnOlderRecorderHasNoLocalEndpoint() {
        String json = "{\"recorderId\":\"r1\",\"credential\":\"c\",\"software\":\"s\",\"viaProxy\":true}";
        LinkHello hello = Json.read(json.getBytes(StandardCharsets.UTF_8), LinkHello.class);
        assertThat(hello.local()).isEqualTo(LocalEndpoint.NONE);
        assertThat(hello.local().reachable()).isFalse();
        assertThat(hello.p2p()).isFalse(); // nor offers peer-to-peer
    }

    @Test
    void onlyIpLiteralsAPortAndAKnownSchemeAreAccepted() {
        assertThatThrownBy(() -> new LocalEndpoint(List.of("192.168.10.2", "nas.local"), 7443, "https"))
                .hasMessageStartingWith("local.addresses[1]: not an IP address");
        assertThatThrownBy(() -> new LocalEndpoint(List.of("10.1"), 7443, "https"))
                .hasMessageStartingWith("local.addresses[0]");
        assertThatThrownBy(() -> new LocalEndpoint(List.of("10.0.0.1"), 70000, "https"))
                .hasMessageStartingWith("local.port");
        assertThatThrownBy(() -> new LocalEndpoint(List.of("10.0.0.1"), 7443, "gopher"))
                .hasMessageStartingWith("local.scheme");
        assertThatThrownBy(() -> new LocalEndpoint(Collections.nCopies(17, "10.0.0.1"), 7443, "https"))
                .hasMessageStartingWith("local.addresses: at most 16");
        assertThat(LocalEndpoint.isIpLiteral("2001:db8::1")).isTrue();
        assertThat(LocalEndpoint.isIpLiteral("::ffff:10.0.0.1")).isTrue();
        assertThat(LocalEndpoint.isIpLiteral("999.0.0.1")).isFalse();
    }
}
