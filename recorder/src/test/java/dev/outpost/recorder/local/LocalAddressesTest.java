package dev.outpost.recorder.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.wire.link.LocalEndpoint;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalAddressesTest {
    private static final List<InetAddress> MACHINE = List.of(InetAddress.ofLiteral("127.0.0.1"),
            InetAddress.ofLiteral("fe80::1"), InetAddress.ofLiteral("fd00::2"), InetAddress.ofLiteral("192.168.10.2"),
            InetAddress.ofLiteral("::1"));

    @Test
    void listeningOnEveryAddressReportsTheUsableOnesIpv4First() {
        assertThat(LocalAddresses.endpoint("0.0.0.0", 7443, "https", () -> MACHINE))
                .isEqualTo(new LocalEndpoint(List.of("192.168.10.2", "fd00:0:0:0:0:0:0:2"), 7443, "https"));
        assertThat(LocalAddresses.endpoint("::", 7080, "http", () -> MACHINE).addresses()).hasSize(2);
    }

    @Test
    void aBoundAddressIsReportedAloneAndLoopbackNotAtAll() {
        assertThat(LocalAddresses.endpoint("192.168.10.2", 7443, "https", () -> MACHINE).addresses())
                .containsExactly("192.168.10.2");
        assertThat(LocalAddresses.endpoint("127.0.0.1", 7080, "http", () -> MACHINE)).isEqualTo(LocalEndpoint.NONE);
        assertThat(LocalAddresses.endpoint("localhost", 7080, "http", () -> MACHINE)).isEqualTo(LocalEndpoint.NONE);
        assertThat(LocalAddresses.endpoint("0.0.0.0", 7080, "http", List::of)).isEqualTo(LocalEndpoint.NONE);
    }

    @Test
    void theEndpointIsReadOnceUpFrontAndNeverOnTheCallersThread() {
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        LocalAddresses.Refreshing refreshing = new LocalAddresses.Refreshing(() -> {
            reads.incrementAndGet();
            return LocalEndpoint.NONE;
        });
        assertThat(reads).hasValue(1);
        assertThat(refreshing.get()).isEqualTo(LocalEndpoint.NONE);
        assertThat(reads).as("fresh: not read again").hasValue(1);
    }
}
