package dev.outpost.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.p2p.http.Http1Response;
import dev.outpost.p2p.ice.LocalIcePair;
import dev.outpost.p2p.quic.QuicDialer;
import dev.outpost.p2p.quic.QuicIdentity;
import dev.outpost.p2p.quic.QuicListener;
import dev.outpost.p2p.quic.QuicStreamInput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Two ICE peers on this machine find each other, and QUIC runs on the selected pair with each side's certificate
 * pinned by the other.
 */
class IceQuicTest {
    private static final Duration HANDSHAKE = Duration.ofSeconds(10);

    @Test
    void viewerReadsAnHttpAnswerOverQuicOnTheSelectedPair() throws Exception {
        QuicIdentity recorderId = QuicIdentity.generate();
        QuicIdentity viewerId = QuicIdentity.generate();
        byte[] body = new byte[3 * 1024 * 1024];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + (i >> 8));
        }
        try (LocalIcePair pair = LocalIcePair.connect();
             QuicListener listener = listening(pair, recorderId, viewerId.fingerprint(),
                     answering(body, new AtomicInteger()))) {
            QuicChannel quic = QuicDialer.dial(pair.viewerSide(), viewerId, recorderId.fingerprint(), HANDSHAKE);
            try (QuicStreamInput in = QuicStreamInput.open(quic, Http1Response.getRequest("/api/test", "GRANT"), HANDSHAKE)) {
                Http1Response response = Http1Response.read(in);
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body().readAllBytes()).isEqualTo(body);
            } finally {
                quic.close().sync();
            }
        }
    }

    @Test
    void viewerRefusesARecorderWithAnotherCertificate() throws Exception {
        QuicIdentity recorderId = QuicIdentity.generate();
        QuicIdentity viewerId = QuicIdentity.generate();
        QuicIdentity other = QuicIdentity.generate();
        AtomicInteger served = new AtomicInteger();
        try (LocalIcePair pair = LocalIcePair.connect();
             QuicListener listener = listening(pair, recorderId, viewerId.fingerprint(),
                     answering(new byte[0], served))) {
            assertThatThrownBy(() -> QuicDialer.dial(pair.viewerSide(), viewerId, other.fingerprint(), HANDSHAKE))
                    .isInstanceOf(IOException.class).hasMessageContaining("QUIC handshake failed");
            assertThat(served).hasValue(0);
        }
    }

    @Test
    void recorderRefusesAViewerWithAnotherCertificate() throws Exception {
        QuicIdentity recorderId = QuicIdentity.generate();
        QuicIdentity viewerId = QuicIdentity.generate();
        QuicIdentity impostor = QuicIdentity.generate();
        AtomicInteger served = new AtomicInteger();
        try (LocalIcePair pair = LocalIcePair.connect();
             QuicListener listener = listening(pair, recorderId, viewerId.fingerprint(),
                     answering("secret".getBytes(StandardCharsets.US_ASCII), served))) {
            // TLS 1.3: the client's certificate is checked after the client has finished its side of the handshake,
            // so the refusal shows either as a failed handshake or as a connection closed before any answer.
            assertThatThrownBy(() -> {
                QuicChannel quic = QuicDialer.dial(pair.viewerSide(), impostor, recorderId.fingerprint(), HANDSHAKE);
                try (QuicStreamInput in = QuicStreamInput.open(quic, Http1Response.getRequest("/api/test", "GRANT"),
                        HANDSHAKE)) {
                    Http1Response.read(in);
                } finally {
                    quic.close().sync();
                }
            }).isInstanceOf(IOException.class);
            assertThat(served).hasValue(0);
        }
    }

    private static QuicListener listening(LocalIcePair pair, QuicIdentity identity, String viewerFingerprint,
                                          Consumer<QuicStreamChannel> streams) throws IOException {
        QuicListener listener = new QuicListener(identity, viewerFingerprint, streams);
        listener.start(pair.recorderSide());
        return listener;
    }

    /** Each stream: read the request head, answer 200 with {@code body} chunked, as the recorder's router does. */
    private static Consumer<QuicStreamChannel> answering(byte[] body, AtomicInteger served) {
        return stream -> stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            private final StringBuilder head = new StringBuilder();

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                ByteBuf bytes = (ByteBuf) message;
                head.append(bytes.toString(StandardCharsets.US_ASCII));
                bytes.release();
                if (!head.toString().endsWith("\r\n\r\n")) {
                    return;
                }
                served.incrementAndGet();
                ctx.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
                for (int offset = 0; offset < body.length; offset += 100_000) {
                    int n = Math.min(100_000, body.length - offset);
                    ctx.write(ascii(Integer.toHexString(n) + "\r\n"));
                    ctx.write(Unpooled.wrappedBuffer(body, offset, n));
                    ctx.write(ascii("\r\n"));
                }
                ctx.writeAndFlush(ascii("0\r\n\r\n"));
            }
        });
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }
}
