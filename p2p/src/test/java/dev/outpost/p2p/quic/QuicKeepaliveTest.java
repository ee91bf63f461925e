package dev.outpost.p2p.quic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.p2p.ice.LocalIcePair;
import io.netty.handler.codec.quic.QuicChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The viewer's keepalive holds an idle connection open past the idle timeout, and without it the connection closes:
 * the same timers as in use (10 s within 30 s), scaled down to 0.4 s within 1.5 s.
 */
class QuicKeepaliveTest {
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(1500);

    @Test
    void anIdleConnectionWithKeepalivesStaysOpenPastTheIdleTimeout() throws Exception {
        try (Pair pair = Pair.connect()) {
            QuicChannel quic = pair.dial(Duration.ofMillis(400));
            try {
                await().during(Duration.ofMillis(4 * IDLE_TIMEOUT.toMillis()))
                        .atMost(Duration.ofMillis(5 * IDLE_TIMEOUT.toMillis()))
                        .until(quic::isActive);
            } finally {
                quic.close().sync();
            }
        }
    }

    @Test
    void anIdleConnectionWithoutKeepalivesCloses() throws Exception {
        try (Pair pair = Pair.connect()) {
            QuicChannel quic = pair.dial(Duration.ZERO);
            await().atMost(Duration.ofMillis(4 * IDLE_TIMEOUT.toMillis())).until(() -> !quic.isActive());
            assertThat(quic.isOpen()).isFalse();
        }
    }

    /** Two ICE agents on this machine with their pair selected, and the recorder listening on it. */
    private record Pair(LocalIcePair ice, QuicListener listener, QuicIdentity viewerId, QuicIdentity recorderId)
            implements AutoCloseable {
        static Pair connect() throws Exception {
            LocalIcePair ice = LocalIcePair.connect();
            QuicIdentity viewerId = QuicIdentity.generate();
            QuicIdentity recorderId = QuicIdentity.generate();
            QuicListener listener = new QuicListener(recorderId, viewerId.fingerprint(), stream -> stream.close());
            listener.start(ice.recorderSide());
            return new Pair(ice, listener, viewerId, recorderId);
        }

        QuicChannel dial(Duration keepalive) throws Exception {
            return QuicDialer.prepare(viewerId, recorderId.fingerprint(), IDLE_TIMEOUT, keepalive)
                    .dial(ice.viewerSide(), Duration.ofSeconds(10));
        }

        @Override
        public void close() {
            listener.close();
            ice.close();
        }
    }
}
