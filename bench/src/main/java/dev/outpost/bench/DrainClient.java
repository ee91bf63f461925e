package dev.outpost.bench;

import dev.outpost.wire.tls.PinnedTrustManager;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A viewer that asks for one HTTP/1.1 response and throws the body away as it arrives, counting it:
 * Netty on its own event loop, body pieces released at once, so the client costs as little as a
 * client can and the figure is the server's. TLS (JDK provider, like the cloud) when the URL is https,
 * trusting exactly the certificate with the given fingerprint.
 */
final class DrainClient implements AutoCloseable {
    /** One response: its status, its body length, and how long it took from connect to last byte. */
    record Transfer(int status, long bytes, long nanos) {
        double megabytesPerSecond() {
            return bytes / 1e6 / (nanos / 1e9);
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Optional<SslContext> tls;

    DrainClient(Optional<String> pinnedFingerprint) throws Exception {
        this.tls = pinnedFingerprint.isEmpty() ? Optional.empty() : Optional.of(SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .trustManager(new PinnedTrustManager(pinnedFingerprint.get()))
                .protocols("TLSv1.3")
                .build());
    }

    /** GETs {@code uri} with {@code Authorization: Bearer token} and drains the answer. */
    Transfer get(URI uri, String bearer) throws Exception {
        boolean https = uri.getScheme().equals("https");
        if (https && tls.isEmpty()) {
            throw new IllegalArgumentException("https needs a pinned fingerprint");
        }
        CompletableFuture<Transfer> done = new CompletableFuture<>();
        long start = System.nanoTime();
        Channel channel = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (https) {
                            ch.pipeline().addLast(tls.get().newHandler(ch.alloc(), uri.getHost(), uri.getPort()));
                        }
                        ch.pipeline().addLast(new HttpClientCodec(), new Drain(start, done));
                    }
                })
                .connect(uri.getHost(), uri.getPort()).sync().channel();
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target);
        request.headers().set(HttpHeaderNames.HOST, uri.getHost() + ":" + uri.getPort())
                .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + bearer)
                .set(HttpHeaderNames.USER_AGENT, "outpost-bench");
        channel.writeAndFlush(request);
        channel.closeFuture().addListener(f -> done.completeExceptionally(
                new IllegalStateException("connection closed before the answer ended")));
        try {
            return done.get(10, TimeUnit.MINUTES);
        } finally {
            channel.close();
        }
    }

    private static final class Drain extends SimpleChannelInboundHandler<HttpObject> {
        private final long start;
        private final CompletableFuture<Transfer> done;
        private int status;
        private long bytes;

        Drain(long start, CompletableFuture<Transfer> done) {
            this.start = start;
            this.done = done;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpResponse response) {
                status = response.status().code();
            }
            if (msg instanceof HttpContent content) {
                bytes += content.content().readableBytes();
            }
            if (msg instanceof LastHttpContent) {
                done.complete(new Transfer(status, bytes, System.nanoTime() - start));
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
