package dev.outpost.recorder.link;

import dev.outpost.wire.link.LinkHandshakeCodec;
import dev.outpost.wire.link.LinkHandshakeDecoder;
import dev.outpost.wire.link.LinkHeartbeat;
import dev.outpost.wire.link.LinkHello;
import dev.outpost.wire.link.LinkHttp2;
import dev.outpost.wire.link.LinkProtocol;
import dev.outpost.wire.link.LinkTransport;
import dev.outpost.wire.link.LinkWelcome;
import dev.outpost.wire.link.WebSocketLinkAdapter;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One try at bringing the link up: TCP, the proxy's CONNECT if any, TLS, the transport (ALPN or
 * WebSocket), the hello, and once welcomed, HTTP/2 as the server for the recorder's API. The promise
 * completes when the cloud welcomed the link, or fails with the reason.
 */
final class LinkAttempt {
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    static final long HANDSHAKE_TIMEOUT_SECONDS = 15;
    static final long ATTEMPT_TIMEOUT_SECONDS = 30;
    private static final String DECODER = "link-handshake";

    /** A link that came up: its channel and what the cloud said. */
    record Established(Channel channel, LinkTransport transport, LinkWelcome welcome, AtomicReference<String> closeReason) {
    }

    private final EventLoopGroup group;
    private final LinkTarget target;
    private final java.util.Optional<ProxySettings> proxy;
    private final LinkTransport transport;
    private final SslContext tls;
    private final LinkHello hello;
    private final int maxStreams;
    private final Supplier<ChannelHandler> router;
    private final AtomicReference<String> closeReason = new AtomicReference<>();
    private final LinkTraffic traffic;

    LinkAttempt(EventLoopGroup group, LinkTarget target, java.util.Optional<ProxySettings> proxy, LinkTransport transport,
                SslContext tls, LinkHello hello, int maxStreams, Supplier<ChannelHandler> router, LinkTraffic traffic) {
        this.traffic = traffic;
        this.group = group;
        this.target = target;
        this.proxy = proxy;
        this.transport = transport;
        this.tls = tls;
        this.hello = hello;
        this.maxStreams = maxStreams;
        this.router = router;
    }

    Future<Established> start() {
        Promise<Established> result = group.next().newPromise();
        // Names are resolved off the event loop: InetSocketAddress blocks on DNS.
        Thread.ofVirtual().name("link-resolve").start(() -> {
            if (proxy.isEmpty()) {
                connect(result, null);
                return;
            }
            InetSocketAddress proxyAddress = new InetSocketAddress(proxy.get().host(), proxy.get().port());
            if (proxyAddress.isUnresolved()) {
                result.tryFailure(new java.net.UnknownHostException("cannot resolve the proxy's name " + proxy.get().host()));
            } else {
                connect(result, proxyAddress);
            }
        });
        return result;
    }

    private void connect(Promise<Established> result, InetSocketAddress proxyAddress) {
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        build(ch.pipeline(), result, proxyAddress);
                    }
                });
        InetSocketAddress remote;
        if (proxy.isPresent()) {
            // The proxy resolves the cloud's name: sites that allow only the proxy often have no DNS.
            bootstrap.resolver(NoopAddressResolverGroup.INSTANCE);
            remote = InetSocketAddress.createUnresolved(target.host(), target.port());
        } else {
            remote = new InetSocketAddress(target.host(), target.port());
            if (remote.isUnresolved()) {
                result.tryFailure(new java.net.UnknownHostException("cannot resolve the cloud's name " + target.host()));
                return;
            }
        }
        bootstrap.connect(remote).addListener(f -> {
            if (!f.isSuccess()) {
                result.tryFailure(f.cause());
            }
        });
    }

    private void build(ChannelPipeline pipeline, Promise<Established> result, InetSocketAddress proxyAddress) {
        pipeline.addLast("traffic", traffic.wireCounter());
        if (proxy.isPresent()) {
            ProxySettings p = proxy.get();
            HttpProxyHandler handler = p.user().isPresent()
                    ? new HttpProxyHandler(proxyAddress, p.user().get(), p.password().orElse(""))
                    : new HttpProxyHandler(proxyAddress);
            handler.setConnectTimeoutMillis(CONNECT_TIMEOUT_MILLIS);
            pipeline.addLast("proxy", handler);
        }
        SslHandler ssl = tls.newHandler(pipeline.channel().alloc(), target.host(), target.port());
        ssl.setHandshakeTimeout(HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        pipeline.addLast("tls", ssl);
        pipeline.addLast("attempt", new AttemptHandler(result));
    }

    /** Drives the attempt from the TLS handshake to the cloud's welcome; fails the promise on any error. */
    private final class AttemptHandler extends ChannelInboundHandlerAdapter {
        private final Promise<Established> result;
        private WebSocketClientHandshaker handshaker;
        private ScheduledFuture<?> deadline;

        AttemptHandler(Promise<Established> result) {
            this.result = result;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            // However far it got (proxy, TLS, upgrade, welcome), an attempt that stalls is given up.
            deadline = ctx.executor().schedule(() -> fail(ctx, new java.util.concurrent.TimeoutException(
                    "no welcome from the cloud within " + ATTEMPT_TIMEOUT_SECONDS + " s")),
                    ATTEMPT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            result.addListener(f -> deadline.cancel(false));
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent done) {
                if (!done.isSuccess()) {
                    fail(ctx, done.cause());
                    return;
                }
                String selected = ctx.pipeline().get(SslHandler.class).applicationProtocol();
                if (transport == LinkTransport.H2) {
                    if (!LinkProtocol.ALPN.equals(selected)) {
                        fail(ctx, new AlpnRefusedException(selected));
                        return;
                    }
                    startHandshake(ctx.pipeline());
                } else {
                    startWebSocket(ctx.pipeline());
                }
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        private void startWebSocket(ChannelPipeline pipeline) {
            URI uri = URI.create("wss://" + target.host() + ":" + target.port() + LinkProtocol.WEBSOCKET_PATH);
            handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13,
                    LinkProtocol.WEBSOCKET_SUBPROTOCOL, false, new DefaultHttpHeaders(), WebSocketLinkAdapter.MAX_FRAME_BYTES);
            pipeline.addBefore("attempt", "http", new HttpClientCodec());
            pipeline.addBefore("attempt", "http-aggregator", new HttpObjectAggregator(16 * 1024));
            handshaker.handshake(pipeline.channel());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (handshaker != null && !handshaker.isHandshakeComplete() && msg instanceof FullHttpResponse response) {
                try {
                    handshaker.finishHandshake(ctx.channel(), response); // throws when the upgrade was refused
                    ctx.pipeline().addBefore("attempt", "ws-link", new WebSocketLinkAdapter());
                    startHandshake(ctx.pipeline());
                } catch (RuntimeException refused) {
                    fail(ctx, refused);
                } finally {
                    response.release();
                }
                return;
            }
            ctx.fireChannelRead(msg);
        }

        private void startHandshake(ChannelPipeline pipeline) {
            LinkHeartbeat.install(pipeline, "attempt", LinkHeartbeat.RECORDER_PING_AFTER, closeReason::set);
            pipeline.addBefore("attempt", DECODER, new LinkHandshakeDecoder<>(LinkWelcome.class));
            pipeline.addBefore("attempt", "link-welcome", new WelcomeHandler(result));
            pipeline.channel().writeAndFlush(LinkHandshakeCodec.encode(pipeline.channel().alloc(), hello));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (result.isDone()) {
                closeReason.compareAndSet(null, cause.toString());
                ctx.close();
            } else {
                fail(ctx, cause);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.tryFailure(new java.io.IOException("the connection closed before the cloud welcomed the link"));
            ctx.fireChannelInactive();
        }

        private void fail(ChannelHandlerContext ctx, Throwable cause) {
            result.tryFailure(cause);
            ctx.close();
        }
    }

    /** Reads the cloud's welcome and, when accepted, makes the connection the recorder's HTTP/2 server. */
    private final class WelcomeHandler extends SimpleChannelInboundHandler<LinkWelcome> {
        private final Promise<Established> result;

        WelcomeHandler(Promise<Established> result) {
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, LinkWelcome welcome) {
            if (!welcome.accepted()) {
                result.tryFailure(new LinkRefusedException(welcome));
                ctx.close();
                return;
            }
            ChannelPipeline pipeline = ctx.pipeline();
            Http2FrameCodec codec = LinkHttp2.recorderCodec(maxStreams);
            pipeline.addAfter(DECODER, "h2", codec);
            pipeline.addAfter("h2", "h2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                @Override
                protected void initChannel(Http2StreamChannel stream) {
                    stream.pipeline().addLast(traffic.contentCounter(), new Http2StreamFrameToHttpObjectCodec(true),
                            router.get());
                }
            }));
            LinkHttp2.widenConnectionWindow(codec, maxStreams);
            pipeline.remove(this);
            pipeline.remove(DECODER); // bytes after the welcome (the cloud's HTTP/2 preface) go to the codec
            result.trySuccess(new Established(ctx.channel(), transport, welcome, closeReason));
        }
    }
}
