package dev.outpost.recorder.live;

import static dev.outpost.recorder.live.LiveTestVideo.FORMAT;
import static dev.outpost.recorder.live.LiveTestVideo.picture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The hub with real threads: the camera on its own thread, viewers joining, draining and leaving on others. */
class LiveHubConcurrencyTest {
    private static final int GOP = 30;
    private static final LiveViewer.Limits ROOMY = new LiveViewer.Limits(Duration.ofHours(1), 256L << 20, 100_000);

    @Test
    void viewersJoiningFromManyThreadsEachGetEveryPictureOnceFromAKeyframe() throws Exception {
        LiveHub hub = new LiveHub("cam-1/hd", GopCache.Limits.DEFAULT, ROOMY);
        hub.onFormat(FORMAT);
        int total = 3_000;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
             ExecutorService camera = Executors.newSingleThreadExecutor()) {
            Future<?> feeding = camera.submit(() -> {
                for (int i = 0; i < total; i++) {
                    hub.onAccessUnit(picture(i, GOP));
                    if (i % 100 == 0) {
                        Thread.yield();
                    }
                }
            });
            List<Future<byte[]>> outputs = new ArrayList<>();
            for (int v = 0; v < 24; v++) {
                boolean leaveEarly = v % 3 == 0;
                outputs.add(threads.submit(() -> drain(hub.subscribe(), leaveEarly)));
            }
            feeding.get(30, TimeUnit.SECONDS);
            hub.close();
            for (int v = 0; v < outputs.size(); v++) {
                byte[] bytes = outputs.get(v).get(30, TimeUnit.SECONDS);
                if (bytes.length == 0) {
                    continue; // joined after the last picture, or before the first keyframe and left at once
                }
                Fmp4Check output = Fmp4Check.of(bytes);
                assertThat(output.jumps()).as("viewer %d", v).isZero();
                if (v % 3 != 0) {
                    assertThat(output.pictures().getLast()).as("viewer %d", v).isEqualTo(total - 1);
                }
            }
        }
        assertThat(hub.stats().viewers()).isZero();
        assertThat(hub.stats().skips()).isZero();
    }

    /** Polls like a connection would: when told something is ready, until the stream ends (or it leaves early). */
    private static byte[] drain(LiveViewer viewer, boolean leaveEarly) throws InterruptedException {
        Semaphore ready = new Semaphore(0);
        viewer.whenReady(ready::release);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int fragments = 0;
        while (!viewer.isFinished()) {
            var chunk = viewer.poll();
            if (chunk.isPresent()) {
                out.writeBytes(chunk.get());
                if (leaveEarly && ++fragments == 20) {
                    break;
                }
            } else {
                ready.tryAcquire(50, TimeUnit.MILLISECONDS);
            }
        }
        viewer.close();
        return out.toByteArray();
    }

    @Test
    void overRealSocketsAViewerGetsTheLiveStreamAsAChunkedHttpBody() throws Exception {
        LiveHub hub = new LiveHub("cam-1/hd", GopCache.Limits.DEFAULT, ROOMY);
        hub.onFormat(FORMAT);
        for (int i = 0; i < 40; i++) {
            hub.onAccessUnit(picture(i, GOP));
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new SimpleChannelInboundHandler<HttpRequest>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, HttpRequest request) {
                                    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                                            HttpResponseStatus.OK);
                                    head.headers().set(HttpHeaderNames.CONTENT_TYPE, "video/mp4")
                                            .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                                    ctx.writeAndFlush(head);
                                    LiveChannelWriter.attach(ctx.channel(), hub.subscribe(),
                                            LiveChannelWriter.Framing.HTTP);
                                }
                            });
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            AtomicBoolean ended = new AtomicBoolean();
            Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new SimpleChannelInboundHandler<HttpObject>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
                                    if (msg instanceof HttpContent content) {
                                        ByteBuf buf = content.content();
                                        byte[] bytes = new byte[buf.readableBytes()];
                                        buf.getBytes(buf.readerIndex(), bytes);
                                        synchronized (body) {
                                            body.writeBytes(bytes);
                                        }
                                        if (msg instanceof LastHttpContent) {
                                            ended.set(true);
                                        }
                                    }
                                }
                            });
                        }
                    }).connect((InetSocketAddress) server.localAddress()).sync().channel();
            client.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                    "/api/cameras/1/live.mp4?stream=hd"));
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.stats().viewers() == 1);
            for (int i = 40; i < 400; i++) {
                hub.onAccessUnit(picture(i, GOP, 20_000, 3_000));
            }
            hub.close();
            await().atMost(Duration.ofSeconds(10)).untilTrue(ended);
            byte[] bytes;
            synchronized (body) {
                bytes = body.toByteArray();
            }
            Fmp4Check output = Fmp4Check.of(bytes);
            assertThat(output.pictures().getFirst()).isEqualTo(30);
            assertThat(output.pictures().getLast()).isEqualTo(399);
            assertThat(output.jumps()).isZero();
            client.close().sync();
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.stats().viewers() == 0);
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
