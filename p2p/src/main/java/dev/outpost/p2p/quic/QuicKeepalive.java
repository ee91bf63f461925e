package dev.outpost.p2p.quic;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.QuicChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The viewer's keepalive: a one-byte QUIC DATAGRAM frame (RFC 9221) every {@value #SECONDS} s. It is ack-eliciting,
 * so it resets both sides' idle timers (RFC 9000 section 10.1.2) and refreshes the NAT mappings on the way, well
 * under the 25 s or so after which NATs forget an idle UDP mapping (RFC 4787 REQ-5 asks for at least 2 minutes;
 * many keep 30 s). The recorder drops the datagrams.
 */
final class QuicKeepalive {
    static final int SECONDS = 10;
    /** DATAGRAM frames queued at most, each way: keepalives only, so a handful. */
    static final int QUEUE = 4;

    private QuicKeepalive() {
    }

    static void start(QuicChannel connection, Duration period) {
        var task = connection.eventLoop().scheduleAtFixedRate(() -> {
            if (connection.isActive()) {
                connection.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0}));
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        connection.closeFuture().addListener(f -> task.cancel(false));
    }
}
