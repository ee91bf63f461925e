package dev.outpost.p2p.quic;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.quic.QuicConnectionPathStats;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuicPacingTest {

    @Test
    void pacesAtTwiceTheWindowPerRoundTrip() {
        // 400 KB in flight over 40 ms is 10 MB/s; paced at twice that
        assertThat(QuicPacing.rate(stats(40_000_000L, 400_000L))).isEqualTo(20_000_000L);
        assertThat(QuicPacing.rate(stats(1_000_000L, 12_000L))).isEqualTo(24_000_000L);
    }

    @Test
    void leavesSendsUnpacedUntilThereIsARoundTripEstimate() {
        assertThat(QuicPacing.rate(stats(0, 12_000L))).isZero();
        assertThat(QuicPacing.rate(stats(40_000_000L, 0))).isZero();
    }

    /** quiche's path statistics with only the round trip (ns) and the window (bytes) set. */
    private static QuicConnectionPathStats stats(long rttNanos, long cwnd) {
        Map<String, Long> values = Map.of("rtt", rttNanos, "cwnd", cwnd);
        return (QuicConnectionPathStats) Proxy.newProxyInstance(QuicPacingTest.class.getClassLoader(),
                new Class<?>[] {QuicConnectionPathStats.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), 0L));
    }
}
