package dev.outpost.p2p.quic;

import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionPathStats;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Paces a QUIC connection's sends on its {@link IceDatagramChannel} at twice its congestion window per round trip,
 * read from quiche every {@value #PERIOD_MS} ms: the rule Linux's TCP uses in slow start (RFC 9002 section 7.7 asks
 * senders to pace, and allows any rate up to the window per round trip times a small factor). Twice, so that slow
 * start is not held back between two readings; half of the window's bursts is still gone.
 */
final class QuicPacing {
    static final int PERIOD_MS = 20;
    static final int FACTOR = 2;

    private QuicPacing() {
    }

    static void start(QuicChannel connection, IceDatagramChannel channel) {
        ScheduledFuture<?> task = connection.eventLoop().scheduleAtFixedRate(() -> {
            if (connection.isActive()) {
                connection.collectPathStats(0).addListener(f -> {
                    if (f.isSuccess()) {
                        channel.pace(rate((QuicConnectionPathStats) f.getNow()));
                    }
                });
            }
        }, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
        connection.closeFuture().addListener(f -> task.cancel(false));
    }

    /** Bytes per second; 0 (unpaced) until quiche has a round-trip estimate. */
    static long rate(QuicConnectionPathStats stats) {
        long rttNanos = stats.rtt();
        if (rttNanos <= 0 || stats.cwnd() <= 0) {
            return 0;
        }
        return FACTOR * stats.cwnd() * 1_000_000_000L / rttNanos;
    }
}
