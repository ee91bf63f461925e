package dev.outpost.recorder.live;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a {@link LiveViewer}'s fMP4 down a Netty channel as the body of a response whose head the router already
 * wrote, pulling chunks only while the channel is writable, so what waits in Netty for a slow connection stays under
 * the channel's write-buffer high-water mark (plus one chunk) and everything beyond that waits, bounded, in the
 * viewer, which skips when it is too far behind.
 *
 * <p>It writes each chunk as an {@link io.netty.handler.codec.http.HttpContent} ({@link Framing#HTTP}), so the same
 * handler serves HTTP/1.1 (behind {@code HttpServerCodec}, as a chunked body) and HTTP/2 (on a stream channel behind
 * {@code Http2StreamFrameToHttpObjectCodec}, as DATA frames, where writability follows the stream's flow-control
 * window), or as plain {@code ByteBuf}s ({@link Framing#RAW}) for a byte stream such as a QUIC stream. The chunks are
 * unpooled heap buffers wrapping the encoded fragment, so nothing is pooled per viewer; Netty releases what it still
 * holds when the channel closes.
 *
 * <p>Never blocks: the viewer wakes it with a task on the channel's event loop; it also drains on
 * {@code channelWritabilityChanged}. When the channel closes or this handler is removed, the viewer is closed (it
 * leaves the hub and drops its queue). When the stream ends ({@link LiveHub#close()}), the response ends with
 * {@link LastHttpContent} (HTTP) or the channel closes (RAW).
 */
public final class LiveChannelWriter extends ChannelInboundHandlerAdapter {
    /** How a chunk goes on the channel. */
    public enum Framing {
        /** {@code HttpContent}s and a final {@code LastHttpContent}: HTTP/1.1 or HTTP/2 through the HTTP codecs. */
        HTTP,
        /** {@code ByteBuf}s, and a close at the end: a raw byte stream. */
        RAW
    }

    private static final Logger LOG = LoggerFactory.getLogger(LiveChannelWriter.class);

    private final LiveViewer viewer;
    private final Framing framing;
    private final Runnable end;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile ChannelHandlerContext ctx;
    private boolean finished;

    private LiveChannelWriter(LiveViewer viewer, Framing framing, Runnable end) {
        this.viewer = Objects.requireNonNull(viewer, "viewer");
        this.framing = Objects.requireNonNull(framing, "framing");
        this.end = Objects.requireNonNull(end, "end");
    }

    /**
     * Adds a writer for {@code viewer} at the end of {@code channel}'s pipeline (after the HTTP codec) and starts
     * sending. Any thread; call after writing the response head.
     */
    public static LiveChannelWriter attach(Channel channel, LiveViewer viewer, Framing framing) {
        return attach(channel, viewer, framing, () -> channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
    }

    /**
     * As {@link #attach(Channel, LiveViewer, Framing)}, but when the stream ends ({@link Framing#HTTP}) the response
     * is ended by {@code end}, on the event loop, instead of by a {@link LastHttpContent} written here: the router
     * that wrote the head must learn that its exchange is over, or a keep-alive connection could serve no other
     * request after a camera is removed.
     */
    public static LiveChannelWriter attach(Channel channel, LiveViewer viewer, Framing framing, Runnable end) {
        LiveChannelWriter writer = new LiveChannelWriter(viewer, framing, end);
        channel.pipeline().addLast(writer);
        return writer;
    }

    /**
     * The head of a live response, for the router to write before {@link #attach}: {@code 200}, {@code video/mp4},
     * chunked (HTTP/2's codec drops that header, which it does not use), never cached.
     */
    public static HttpResponse responseHead() {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "video/mp4")
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return head;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
        context.channel().closeFuture().addListener(f -> viewer.close());
        viewer.whenReady(this::scheduleDrain);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        viewer.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        drain();
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        viewer.close();
        context.fireChannelInactive();
    }

    private void scheduleDrain() {
        ChannelHandlerContext context = ctx;
        if (context != null && drainScheduled.compareAndSet(false, true)) {
            try {
                context.executor().execute(() -> {
                    drainScheduled.set(false);
                    drain();
                });
            } catch (RejectedExecutionException e) {
                viewer.close(); // the connection's event loop is shutting down, and the connection with it
            }
        }
    }

    /** On the event loop: write chunks while the channel takes them, then flush once. */
    private void drain() {
        ChannelHandlerContext context = ctx;
        if (finished || context == null || context.isRemoved()) {
            return;
        }
        Channel channel = context.channel();
        if (!channel.isActive()) {
            viewer.close();
            return;
        }
        boolean wrote = false;
        try {
            while (channel.isWritable()) {
                Optional<byte[]> chunk = viewer.poll();
                if (chunk.isEmpty()) {
                    break;
                }
                channel.write(frame(chunk.get())).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                wrote = true;
            }
        } catch (RuntimeException e) {
            // A picture the fMP4 writer refused (a capture time outside what prft holds, say): the stream cannot go
            // on correctly, so end it; the player reconnects and starts afresh on a keyframe.
            LOG.warn("live stream to {} ended: {}", channel.remoteAddress(), e.toString());
            finished = true;
            viewer.close();
            channel.close();
            return;
        }
        if (viewer.isFinished()) {
            finished = true;
            if (framing == Framing.HTTP) {
                context.pipeline().remove(this); // the connection may serve further requests
                end.run();
            } else {
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            viewer.close();
        } else if (wrote) {
            channel.flush();
        }
    }

    private Object frame(byte[] chunk) {
        return switch (framing) {
            case HTTP -> new DefaultHttpContent(Unpooled.wrappedBuffer(chunk));
            case RAW -> Unpooled.wrappedBuffer(chunk);
        };
    }
}
