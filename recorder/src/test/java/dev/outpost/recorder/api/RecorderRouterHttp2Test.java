package dev.outpost.recorder.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.wire.api.ApiError;
import dev.outpost.wire.api.RecorderInfo;
import dev.outpost.wire.json.Json;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router on HTTP/2 stream channels, as the link runs it: the recorder is the HTTP/2 server, each
 * request one stream, and per-stream flow control is the backpressure.
 */
class RecorderRouterHttp2Test {
    private static final int STREAM_WINDOW = 64 * 1024;

    private final TestGrants grants = new TestGrants();
    private final RecorderApi api = grants.api();
    private EventLoopGroup group;
    private Channel server;
    private Channel connection;

    @BeforeEach
    void connect() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // What the link does on the recorder, after its handshake.
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                                    @Override
                                    protected void initChannel(Http2StreamChannel stream) {
                                        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true), api.newRouter());
                                    }
                                }));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        Http2FrameCodec clientCodec = Http2FrameCodecBuilder.forClient()
                .initialSettings(Http2Settings.defaultSettings().initialWindowSize(STREAM_WINDOW)).build();
        connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(clientCodec, new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                    }
                })
                .connect(server.localAddress()).sync().channel();
        // As the cloud does: a connection window as wide as many stream windows, so one stalled stream
        // cannot hold the window every other stream needs.
        connection.eventLoop().submit(() -> {
            clientCodec.connection().local().flowController()
                    .incrementWindowSize(clientCodec.connection().connectionStream(), 16 * STREAM_WINDOW);
            return null;
        }).sync();
    }

    @AfterEach
    void close() {
        connection.close().syncUninterruptibly();
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void manyRequestsOnStreamsOfOneConnection() throws Exception {
        Exchange info = send(get("/api/info", grants.valid()));
        assertThat(info.status()).isEqualTo(200);
        assertThat(Json.read(info.body(), RecorderInfo.class).user()).isEqualTo(TestGrants.USER);

        Exchange expired = send(get("/api/info", grants.expired()));
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.head.headers().get(HttpHeaderNames.WWW_AUTHENTICATE)).startsWith("Bearer");
        assertThat(Json.read(expired.body(), ApiError.class).error()).isEqualTo("grant-expired");

        Exchange missing = send(get("/api/nothing", grants.valid()));
        assertThat(missing.status()).isEqualTo(404);

        Exchange limited = send(get("/api/stream?rate=0&chunk=5000&limit=100000", grants.valid()));
        assertThat(limited.status()).isEqualTo(200);
        assertThat(limited.body()).hasSize(100_000);
        RecorderRouterTest.assertPattern(limited.body(), 0);

        assertThat(connection.isActive()).as("the link survives every answer").isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> api.counters().openExchanges() == 0);
    }

    @Test
    void echoStreamsTheBodyBack() throws Exception {
        Exchange echo = new Exchange();
        Http2StreamChannel stream = open(echo);
        HttpRequest post = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/echo");
        post.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + grants.valid());
        stream.writeAndFlush(post).sync();
        await().atMost(Duration.ofSeconds(5)).until(() -> echo.head != null);
        assertThat(echo.status()).isEqualTo(200);

        byte[] piece = new byte[10_000];
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (int i = 0; i < 20; i++) {
            java.util.Arrays.fill(piece, (byte) i);
            sent.writeBytes(piece);
            stream.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(piece))).sync();
            int expected = sent.size();
            // The answer keeps pace with the request: each piece comes back before the next is sent.
            await().atMost(Duration.ofSeconds(5)).until(() -> echo.received() == expected);
        }
        stream.writeAndFlush(new DefaultLastHttpContent(Unpooled.copiedBuffer("end", StandardCharsets.US_ASCII))).sync();
        echo.ended.get(5, TimeUnit.SECONDS);
        sent.writeBytes("end".getBytes(StandardCharsets.US_ASCII));
        assertThat(echo.body()).isEqualTo(sent.toByteArray());
    }

    @Test
    void aStreamNobodyReadsIsHeldByFlowControlWhileOthersFlow() throws Exception {
        Exchange stalled = new Exchange();
        Http2StreamChannel stream = open(stalled);
        stream.config().setAutoRead(false); // the viewer behind this stream stopped reading
        stream.writeAndFlush(get("/api/stream?rate=0&chunk=16384", grants.valid())).sync();

        await().atMost(Duration.ofSeconds(5)).until(() -> api.counters().backpressurePauses() > 0);
        long held = api.counters().streamedBytes();
        // Stream window, plus what the stream channel buffers before it turns unwritable, plus a chunk.
        long bound = STREAM_WINDOW + 64 * 1024 + 16 * 1024;
        assertThat(held).isLessThanOrEqualTo(bound);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> api.counters().streamedBytes() <= bound);

        Exchange info = send(get("/api/info", grants.valid()));
        assertThat(info.status()).as("another stream on the same link").isEqualTo(200);

        stream.config().setAutoRead(true); // the viewer reads again
        await().atMost(Duration.ofSeconds(10)).until(() -> stalled.received() > 4 * 1024 * 1024);
        RecorderRouterTest.assertPattern(stalled.body(), 0);

        stream.close().sync(); // the viewer leaves: the stream is reset and the recorder stops
        await().atMost(Duration.ofSeconds(5)).until(() -> api.counters().openExchanges() == 0);
        long stopped = api.counters().streamedBytes();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                .until(() -> api.counters().streamedBytes() == stopped);
    }

    // --- a tiny HTTP/2 client

    private static HttpRequest get(String uri, String grant) {
        HttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + grant);
        return request;
    }

    private Exchange send(HttpRequest request) throws Exception {
        Exchange exchange = new Exchange();
        open(exchange).writeAndFlush(request).sync();
        exchange.ended.get(10, TimeUnit.SECONDS);
        return exchange;
    }

    private Http2StreamChannel open(Exchange exchange) throws InterruptedException {
        return new Http2StreamChannelBootstrap(connection)
                .handler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel ch) {
                        ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), exchange);
                    }
                })
                .open().sync().getNow();
    }

    /** Collects one answer. */
    private static final class Exchange extends SimpleChannelInboundHandler<HttpObject> {
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        volatile HttpResponse head;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpResponse response) {
                head = response;
            }
            if (msg instanceof HttpContent content) {
                synchronized (body) {
                    body.writeBytes(ByteBufUtil.getBytes(content.content()));
                }
                if (msg instanceof LastHttpContent) {
                    ended.complete(null);
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ended.completeExceptionally(new IllegalStateException("stream closed before the answer ended"));
        }

        int status() {
            return head.status().code();
        }

        byte[] body() {
            synchronized (body) {
                return body.toByteArray();
            }
        }

        int received() {
            synchronized (body) {
                return body.size();
            }
        }
    }
}
