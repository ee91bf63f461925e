package dev.outpost.bench;

import dev.outpost.media.mp4.BoxReader;
import dev.outpost.media.mp4.Fragment;
import dev.outpost.media.mp4.InitSegment;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A live viewer for benchmarks: {@code GET /api/cameras/{id}/live.mp4} over HTTP/1.1 on a recorder's local port,
 * reading the fMP4 as it arrives, top-level box by box, and checking it with media's {@link BoxReader}: an init
 * segment ({@code ftyp} + {@code moov}) first, then fragments ({@code prft} + {@code moof} + {@code mdat}), the first
 * of them opening on a keyframe. A {@link Listener} hears, on the client's event loop, when the response's first byte
 * came, when the first picture could be decoded (init segment and the whole first fragment in), and of each fragment.
 */
final class LiveClient implements AutoCloseable {
    /** Larger top-level boxes than this are refused: a live fragment is one picture or a few (512 KiB by design). */
    static final int MAX_BOX = 64 << 20;

    /** Called on the client's event loop; times are {@link System#nanoTime()}. */
    interface Listener {
        /**
         * The request is about to be written, on the thread that opened the client (before any other call, which
         * happen on the event loop after it).
         */
        default void sent(long nanos) {
        }

        /** The first byte of the response (its status line) arrived. */
        default void firstByte(long nanos) {
        }

        /** The init segment and the whole first fragment, which opens on a keyframe, arrived. */
        default void decodable(long nanos, InitSegment init, Fragment first) {
        }

        /** A whole fragment arrived ({@code bytes}: its {@code prft}, {@code moof} and {@code mdat}). */
        default void fragment(long nanos, Fragment fragment, int bytes) {
        }

        /** The stream failed (the connection closed, a bad status, malformed fMP4); nothing more follows. */
        default void failed(Throwable cause) {
        }
    }

    private final Channel channel;
    private final long sentNanos;

    private LiveClient(Channel channel, long sentNanos) {
        this.channel = channel;
        this.sentNanos = sentNanos;
    }

    /**
     * Connects to {@code host:port}, then sends {@code GET path} with {@code Authorization: Bearer grant}. The
     * connection is made before the clock starts: {@link #sentNanos()} is just before the request is written.
     */
    static LiveClient open(EventLoopGroup group, String host, int port, String path, String grant, Listener listener)
            throws InterruptedException {
        Channel channel = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new FirstByte(listener), new HttpClientCodec(), new Reader(listener));
                    }
                })
                .connect(host, port).sync().channel();
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        request.headers().set(HttpHeaderNames.HOST, host + ":" + port)
                .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + grant)
                .set(HttpHeaderNames.USER_AGENT, "outpost-bench");
        long sent = System.nanoTime();
        listener.sent(sent);
        channel.writeAndFlush(request);
        return new LiveClient(channel, sent);
    }

    long sentNanos() {
        return sentNanos;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    /** Notes the first bytes off the socket, before the HTTP codec. */
    private static final class FirstByte extends ChannelInboundHandlerAdapter {
        private final Listener listener;
        private boolean seen;

        FirstByte(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!seen) {
                seen = true;
                listener.firstByte(System.nanoTime());
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** The response: its status, then its body split into top-level boxes. */
    private static final class Reader extends SimpleChannelInboundHandler<HttpObject> {
        private final Listener listener;
        private final ByteBuf pending = Unpooled.buffer();
        private final ByteArrayOutputStream fragment = new ByteArrayOutputStream();
        private Optional<InitSegment> init = Optional.empty();
        private boolean decodable;
        private boolean failed;

        Reader(Listener listener) {
            this.listener = listener;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) throws IOException {
            if (failed) {
                return;
            }
            if (msg instanceof HttpResponse response && response.status().code() != 200) {
                fail(ctx, new IOException("live.mp4 answered " + response.status()));
                return;
            }
            if (msg instanceof HttpContent content) {
                pending.writeBytes(content.content());
                boxes(ctx);
            }
            if (msg instanceof LastHttpContent && !failed) {
                fail(ctx, new IOException("the live stream ended"));
            }
        }

        /** Every whole top-level box in {@code pending}, in order (ISO/IEC 14496-12 section 4.2). */
        private void boxes(ChannelHandlerContext ctx) throws IOException {
            while (pending.readableBytes() >= 8 && !failed) {
                int at = pending.readerIndex();
                long size = pending.getUnsignedInt(at);
                String type = pending.toString(at + 4, 4, StandardCharsets.ISO_8859_1);
                if (size == 1) {
                    if (pending.readableBytes() < 16) {
                        return;
                    }
                    size = pending.getLong(at + 8);
                }
                if (size < 8 || size > MAX_BOX) {
                    fail(ctx, new IOException("box '" + type + "' of " + size + " bytes: not 8 to " + MAX_BOX));
                    return;
                }
                if (pending.readableBytes() < size) {
                    return;
                }
                byte[] box = new byte[(int) size];
                pending.readBytes(box);
                box(ctx, type, box);
            }
            pending.discardReadBytes();
        }

        private void box(ChannelHandlerContext ctx, String type, byte[] box) throws IOException {
            switch (type) {
                case "ftyp" -> {
                }
                case "moov" -> init = Optional.of(BoxReader.readInitSegment(box));
                case "prft", "moof" -> fragment.write(box);
                case "mdat" -> {
                    if (init.isEmpty()) {
                        fail(ctx, new IOException("a fragment came before the init segment"));
                        return;
                    }
                    fragment.write(box);
                    byte[] whole = fragment.toByteArray();
                    fragment.reset();
                    Fragment read = BoxReader.readFragment(whole);
                    long now = System.nanoTime();
                    if (!decodable) {
                        if (!read.samples().getFirst().sync()) {
                            fail(ctx, new IOException("the first fragment does not open on a keyframe"));
                            return;
                        }
                        decodable = true;
                        listener.decodable(now, init.get(), read);
                    }
                    listener.fragment(now, read, whole.length);
                }
                default -> fail(ctx, new IOException("unexpected top-level box '" + type + "'"));
            }
        }

        private void fail(ChannelHandlerContext ctx, Throwable cause) {
            if (!failed) {
                failed = true;
                listener.failed(cause);
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(ctx, new IOException("connection closed"));
            pending.release();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(ctx, cause);
        }
    }
}
