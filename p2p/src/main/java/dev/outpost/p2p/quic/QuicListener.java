package dev.outpost.p2p.quic;

import dev.outpost.p2p.ice.IcePeer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.ssl.ClientAuth;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder's side of QUIC on one P2P session's selected pair: accepts the viewer's connection (ALPN
 * {@value #ALPN}) only with the certificate whose fingerprint came in the viewer's offer, and sets up each stream
 * the viewer opens with {@code streams} (the recorder puts its HTTP/1.1 pipeline and API router there). One
 * connection at a time; streams the viewer opens are bidirectional, at most {@value #MAX_STREAMS} at once. Made when
 * the offer comes (the TLS context and the codec take some 40 ms, which then overlap ICE), started on the selected
 * pair with {@link #start}.
 */
public final class QuicListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QuicListener.class);
    /** The application protocol: one HTTP/1.1 exchange per bidirectional stream. */
    public static final String ALPN = "outpost-p2p/1";
    /** Streams a viewer may have open at once on one connection. */
    static final int MAX_STREAMS = 8;
    /** A connection silent this long is closed (RFC 9000 section 10.1); the viewer pings well within it. */
    static final int IDLE_TIMEOUT_SECONDS = 30;
    /** The viewer sends requests only: small windows for what it sends. */
    private static final long REQUEST_WINDOW = 64 * 1024;

    private final ChannelHandler codec;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile IceDatagramChannel channel;
    private boolean closed;

    /**
     * @param viewerFingerprint the SHA-256 of the viewer's certificate, from its offer
     * @param streams           sets up each stream the viewer opens; called on the stream's event loop
     */
    public QuicListener(QuicIdentity identity, String viewerFingerprint, Consumer<QuicStreamChannel> streams) {
        QuicSslContext tls = QuicSslContextBuilder.forServer(identity.key().privateKey(), null,
                        identity.key().certificate())
                .trustManager(new PinnedPeerTrust(viewerFingerprint))
                .clientAuth(ClientAuth.REQUIRE)
                .applicationProtocols(ALPN)
                .build();
        codec = new QuicServerCodecBuilder()
                .sslContext(tls)
                // No token handler, so no Retry round trip: ICE has checked the viewer's address already
                .maxIdleTimeout(IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .initialMaxData(MAX_STREAMS * REQUEST_WINDOW)
                .initialMaxStreamDataBidirectionalRemote(REQUEST_WINDOW)
                .initialMaxStreamsBidirectional(MAX_STREAMS)
                .initialMaxStreamsUnidirectional(0)
                .activeMigration(false)
                .datagram(QuicKeepalive.QUEUE, QuicKeepalive.QUEUE)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        if (connections.incrementAndGet() > 1) {
                            log.warn("P2P: a second QUIC connection from {}; closing it", ctx.channel().remoteAddress());
                            ctx.close();
                        } else {
                            QuicPacing.start((QuicChannel) ctx.channel(), channel);
                        }
                        ctx.fireChannelActive();
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        connections.decrementAndGet();
                        ctx.fireChannelInactive();
                    }

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object message) {
                        if (message instanceof ByteBuf datagram) {
                            datagram.release(); // the viewer's keepalive: nothing to do
                        } else {
                            ctx.fireChannelRead(message); // a new stream, which the stream handler sets up
                        }
                    }

                    @Override
                    public boolean isSharable() {
                        return true;
                    }
                })
                .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel stream) {
                        streams.accept(stream);
                    }
                })
                .build();
    }

    /** Listens on the selected pair; once. */
    public synchronized void start(IcePeer.Selection selection) throws IOException {
        if (closed || channel != null) {
            throw new IOException(closed ? "the P2P session was closed" : "the listener is started already");
        }
        channel = IceDatagramChannel.open(selection);
        channel.pipeline().addLast(codec);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        } else {
            UnusedCodec.free(codec);
        }
    }
}
