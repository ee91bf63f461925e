package dev.outpost.cloud.links;

import dev.outpost.wire.link.LinkHandshakeCodec;
import dev.outpost.wire.link.LinkHandshakeDecoder;
import dev.outpost.wire.link.LinkHeartbeat;
import dev.outpost.wire.link.LinkHello;
import dev.outpost.wire.link.LinkHttp2;
import dev.outpost.wire.link.LinkProtocol;
import dev.outpost.wire.link.LinkTransport;
import dev.outpost.wire.link.LinkWelcome;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a connection that selected the link (by ALPN, or by the WebSocket upgrade) into a registered
 * {@link RecorderLink}: reads the recorder's hello, asks the {@link LinkGate} (off the event loop),
 * answers with a welcome, then runs HTTP/2 as the client over the connection.
 */
public final class LinkAcceptor {
    private static final Logger LOG = LoggerFactory.getLogger(LinkAcceptor.class);
    static final String DECODER = "link-handshake";

    private final LinkRegistry registry;
    private final LinkGate gate;
    private final Executor blocking;
    private final Clock clock;
    private final int maxStreams;

    public LinkAcceptor(LinkRegistry registry, LinkGate gate, Executor blocking, Clock clock, int maxStreams) {
        this.registry = registry;
        this.gate = gate;
        this.blocking = blocking;
        this.clock = clock;
        this.maxStreams = maxStreams;
    }

    /** Installs the link's handlers at the end of {@code pipeline}, whose bytes are the link's. */
    public void install(ChannelPipeline pipeline, LinkTransport transport) {
        LinkHeartbeat.install(pipeline, null, LinkHeartbeat.CLOUD_PING_AFTER, reason -> LOG.info("link from {} dead: {}",
                pipeline.channel().remoteAddress(), reason));
        pipeline.addLast(DECODER, new LinkHandshakeDecoder<>(LinkHello.class));
        pipeline.addLast("link-admission", new Admission(transport));
        pipeline.addLast("link-errors", new LinkErrors());
    }

    private static String addressOf(Channel channel) {
        SocketAddress address = channel.remoteAddress();
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        }
        return String.valueOf(address);
    }

    private final class Admission extends SimpleChannelInboundHandler<LinkHello> {
        private final LinkTransport transport;
        private ScheduledFuture<?> deadline;

        Admission(LinkTransport transport) {
            this.transport = transport;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            // A client that connects and never says hello (half-open, a scanner) is dropped.
            deadline = ctx.executor().schedule(() -> {
                LOG.info("link from {}: no handshake within {} s, closing", ctx.channel().remoteAddress(),
                        LinkProtocol.HANDSHAKE_TIMEOUT.toSeconds());
                ctx.close();
            }, LinkProtocol.HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            deadline.cancel(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, LinkHello hello) {
            if (!hello.wellFormedId()) {
                // Unauthenticated input: not looked up, not logged, not echoed.
                LOG.info("refused link from {}: the hello's recorder id is not one this cloud makes",
                        ctx.channel().remoteAddress());
                ctx.writeAndFlush(LinkHandshakeCodec.encode(ctx.alloc(), LinkWelcome.refuse(LinkWelcome.UNKNOWN,
                        "no such recorder: activate the recorder with a new code"))).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.channel().config().setAutoRead(false);
            blocking.execute(() -> {
                LinkGate.Admission admission;
                try {
                    admission = gate.admit(hello);
                } catch (RuntimeException e) {
                    LOG.warn("admitting recorder {} failed", hello.recorderId(), e);
                    admission = LinkGate.Admission.refuse(LinkWelcome.UNAVAILABLE, "the cloud could not check this recorder now; retrying");
                }
                LinkGate.Admission decided = admission;
                ctx.executor().execute(() -> decide(ctx, hello, decided));
            });
        }

        private void decide(ChannelHandlerContext ctx, LinkHello hello, LinkGate.Admission admission) {
            Channel channel = ctx.channel();
            if (!channel.isActive()) {
                return;
            }
            String address = addressOf(channel);
            if (!admission.accepted()) {
                LOG.info("refused link of recorder {} from {}: {} ({})", hello.recorderId(), address, admission.code(),
                        admission.message());
                channel.writeAndFlush(LinkHandshakeCodec.encode(channel.alloc(),
                        LinkWelcome.refuse(admission.code(), admission.message()))).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            channel.writeAndFlush(LinkHandshakeCodec.encode(channel.alloc(), LinkWelcome.accept(address)));
            ChannelPipeline pipeline = ctx.pipeline();
            Http2FrameCodec codec = LinkHttp2.cloudCodec(maxStreams);
            pipeline.addAfter(DECODER, "h2", codec);
            pipeline.addAfter("h2", "h2-streams", new Http2MultiplexHandler(new RefusePushedStreams()));
            LinkHttp2.widenConnectionWindow(codec, maxStreams);
            pipeline.remove(this);
            pipeline.remove(DECODER); // hands any bytes read after the hello to the HTTP/2 codec

            Instant since = clock.instant();
            RecorderLink link = new RecorderLink(hello.recorderId(), channel, transport, hello.viaProxy(), address,
                    since, maxStreams, hello.p2p());
            registry.register(link);
            LOG.info("recorder {} online over {} from {}{}", hello.recorderId(), transport.label(), address,
                    hello.viaProxy() ? " through a proxy" : "");
            blocking.execute(() -> gate.linkUp(hello.recorderId(), since, address, transport, hello.viaProxy(), hello.software(),
                    hello.local()));
            channel.closeFuture().addListener(f -> {
                if (registry.unregister(link)) {
                    Instant at = clock.instant();
                    LOG.info("recorder {} offline (link from {} closed)", hello.recorderId(), address);
                    blocking.execute(() -> gate.linkDown(hello.recorderId(), at));
                }
            });
            channel.config().setAutoRead(true);
        }
    }

    /** The cloud is the HTTP/2 client and disables push, so the recorder cannot open streams. */
    private static final class RefusePushedStreams extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.close();
        }

        @Override
        public boolean isSharable() {
            return true;
        }
    }

    /** Last in the pipeline: a link that misbehaves is logged once, in one line, and closed. */
    private static final class LinkErrors extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.info("closing link connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
