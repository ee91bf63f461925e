package dev.outpost.cloud.paths;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
    private static final ClientAddress BEHIND_BALANCER = new ClientAddress(List.of(Cidr.parse("10.0.0.0/8")));

    @Test
    void forwardingHeadersFromAnyoneButATrustedProxyAreIgnored() {
        HttpHeaders claims = headers("X-Forwarded-For", "192.168.10.2");
        claims.add("Forwarded", "for=192.168.10.2");
        assertThat(ClientAddress.direct().of("198.51.100.7", claims)).isEqualTo("198.51.100.7");
        assertThat(BEHIND_BALANCER.of("198.51.100.7", claims)).isEqualTo("198.51.100.7");
    }

    @Test
    void aTrustedProxyVouchesForTheNearestUntrustedHop() {
        // The client forged the first entry; the balancers appended the real one and their own.
        assertThat(BEHIND_BALANCER.of("10.0.0.5",
                headers("X-Forwarded-For", "192.168.10.2, 203.0.113.12, 10.0.0.9"))).isEqualTo("203.0.113.12");
        assertThat(BEHIND_BALANCER.of("10.0.0.5", headers("X-Forwarded-For", "203.0.113.12")))
                .isEqualTo("203.0.113.12");
        assertThat(BEHIND_BALANCER.of("10.0.0.5", headers("X-Forwarded-For", "10.0.0.7"))).as("all trusted")
                .isEqualTo("10.0.0.5");
        assertThat(BEHIND_BALANCER.of("10.0.0.5", headers())).as("no header").isEqualTo("10.0.0.5");
    }

    @Test
    void forwardedHeadersAreReadPerRfc7239AndWinOverXForwardedFor() {
        HttpHeaders both = headers("Forwarded", "for=192.0.2.60;proto=https;by=10.0.0.1, for=\"[2001:db8::17]:4711\"");
        both.add("X-Forwarded-For", "198.51.100.1");
        assertThat(BEHIND_BALANCER.of("10.0.0.5", both)).isEqualTo("2001:db8:0:0:0:0:0:17");
        assertThat(BEHIND_BALANCER.of("10.0.0.5", headers("Forwarded", "For=\"198.51.100.9:8080\"")))
                .isEqualTo("198.51.100.9");
        // An obfuscated or unknown hop ends the chain of trust: the proxy's own address is all we know.
        assertThat(BEHIND_BALANCER.of("10.0.0.5", headers("Forwarded", "for=198.51.100.9, for=unknown")))
                .isEqualTo("10.0.0.5");
        assertThat(BEHIND_BALANCER.of("10.0.0.5", headers("X-Forwarded-For", "not an address"))).isEqualTo("10.0.0.5");
    }

    @Test
    void onlyTheLastHopsOfAHugeHeaderAreRead() {
        String many = String.join(",", java.util.Collections.nCopies(10_000, "10.0.0.1")) + ",198.51.100.3";
        assertThat(BEHIND_BALANCER.of("10.0.0.5", headers("X-Forwarded-For", many))).isEqualTo("198.51.100.3");
        assertThat(ClientAddress.forwarded(headers("X-Forwarded-For", many))).hasSize(ClientAddress.MAX_HOPS);
    }

    private static HttpHeaders headers(String... nameValues) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(nameValues[i], nameValues[i + 1]);
        }
        return headers;
    }
}
