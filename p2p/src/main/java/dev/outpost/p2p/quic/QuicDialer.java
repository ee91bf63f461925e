package dev.outpost.p2p.quic;

import dev.outpost.p2p.ice.IcePeer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The viewer's side of QUIC on the pair ICE selected: dials the recorder's address on it, shows the viewer's own
 * certificate (whose fingerprint went in the offer) and accepts only the recorder's certificate with the fingerprint
 * from the answer; then keeps the connection and the NAT mappings alive ({@link QuicKeepalive}). Made as soon as the
 * answer is in ({@link #prepare}: the TLS context and the codec take some 40 ms), so that this work overlaps ICE.
 */
public final class QuicDialer {
    /** Windows for what the recorder sends (video): 40 ms of round trip at 50 MB/s per stream. */
    static final long STREAM_WINDOW = 2L * 1024 * 1024;
    static final long CONNECTION_WINDOW = 8L * 1024 * 1024;

    private final ChannelHandler codec;
    private final Duration keepalive;

    private QuicDialer(ChannelHandler codec, Duration keepalive) {
        this.codec = codec;
        this.keepalive = keepalive;
    }

    /**
     * @param identity            the viewer's certificate
     * @param recorderFingerprint the recorder's certificate fingerprint from the signalling answer
     */
    public static QuicDialer prepare(QuicIdentity identity, String recorderFingerprint) {
        return prepare(identity, recorderFingerprint, Duration.ofSeconds(QuicListener.IDLE_TIMEOUT_SECONDS),
                Duration.ofSeconds(QuicKeepalive.SECONDS));
    }

    /**
     * @param idleTimeout what this side asks for (the connection's is the shorter of both sides', RFC 9000
     *                    section 10.1)
     * @param keepalive   how often to send a keepalive; zero for none
     */
    static QuicDialer prepare(QuicIdentity identity, String recorderFingerprint, Duration idleTimeout,
                              Duration keepalive) {
        QuicSslContext tls = QuicSslContextBuilder.forClient()
                .keyManager(identity.key().privateKey(), null, identity.key().certificate())
                .trustManager(new PinnedPeerTrust(recorderFingerprint))
                .applicationProtocols(QuicListener.ALPN)
                .build();
        ChannelHandler codec = new QuicClientCodecBuilder()
                .sslContext(tls)
                .maxIdleTimeout(idleTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .initialMaxData(CONNECTION_WINDOW)
                .initialMaxStreamDataBidirectionalLocal(STREAM_WINDOW)
                .initialMaxStreamsBidirectional(0)
                .initialMaxStreamsUnidirectional(0)
                .activeMigration(false)
                .datagram(QuicKeepalive.QUEUE, QuicKeepalive.QUEUE)
                .build();
        return new QuicDialer(codec, keepalive);
    }

    /** {@link #prepare} and {@link #dial(IcePeer.Selection, Duration)} at once. */
    public static QuicChannel dial(IcePeer.Selection selection, QuicIdentity identity, String recorderFingerprint,
                                   Duration timeout) throws IOException, InterruptedException {
        return prepare(identity, recorderFingerprint).dial(selection, timeout);
    }

    /** Frees a dialer that will not dial (ICE failed): its codec holds native memory until it is used or freed. */
    public void discard() {
        UnusedCodec.free(codec);
    }

    /**
     * Dials once; a dialer is not reused.
     *
     * @param timeout for the handshake
     * @return the connection; closing it releases the ICE socket for the agent to free
     */
    public QuicChannel dial(IcePeer.Selection selection, Duration timeout) throws IOException, InterruptedException {
        IceDatagramChannel channel = IceDatagramChannel.open(selection);
        channel.pipeline().addLast(codec);
        Future<QuicChannel> connecting = QuicChannel.newBootstrap(channel)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object message) {
                        if (message instanceof ByteBuf datagram) {
                            datagram.release(); // the recorder sends no datagrams; drop any
                        } else {
                            ctx.fireChannelRead(message);
                        }
                    }
                })
                .remoteAddress(channel.remoteAddress())
                .connect();
        if (!connecting.await(timeout.toMillis())) {
            connecting.cancel(false);
            channel.close();
            throw new IOException("no QUIC handshake within " + timeout.toMillis() + " ms");
        }
        if (!connecting.isSuccess()) {
            channel.close();
            Throwable cause = connecting.cause();
            throw new IOException("the QUIC handshake failed: " + describe(cause), cause);
        }
        QuicChannel connection = connecting.getNow();
        if (!connection.isActive()) {
            channel.close();
            throw new IOException("the recorder closed the QUIC connection at once (it refuses a certificate that is"
                    + " not the one in the offer)");
        }
        connection.closeFuture().addListener(f -> channel.close());
        if (keepalive.isPositive()) {
            QuicKeepalive.start(connection, keepalive);
        }
        QuicPacing.start(connection, channel);
        return connection;
    }

    private static String describe(Throwable cause) {
        StringBuilder text = new StringBuilder(String.valueOf(cause.getMessage()));
        for (Throwable c = cause.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            text.append(": ").append(c.getMessage());
        }
        return text.toString();
    }
}
