package dev.outpost.cloud.edge;

import dev.outpost.cloud.http.HttpReplies;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/1.1 side of the cloud's port, one per viewer connection: hands each request to an
 * {@link Exchange}, one at a time. A request that arrives while one is in flight (pipelining) waits,
 * with reading paused, so at most one request is ever buffered. A connection idle between requests is
 * closed; one with an exchange in flight (a live stream) is not.
 */
public final class FrontDoor extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(FrontDoor.class);

    private final ExchangeFactory exchanges;
    private Exchange current;
    private boolean currentRequestComplete;
    private HttpRequest waiting;
    private boolean opening;
    private boolean draining;
    private long drained;
    static final long MAX_DRAINED_BYTES = 16L * 1024 * 1024;
    static final long DRAIN_SECONDS = 10;
    static final long BAD_REQUEST_LINGER_MILLIS = 2000;
    private Boolean earlyFinish;
    /** Body of the waiting request already decoded from the last read; bounded by one read. */
    private final java.util.ArrayDeque<HttpContent> waitingBody = new java.util.ArrayDeque<>();

    public FrontDoor(ExchangeFactory exchanges) {
        this.exchanges = exchanges;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            if (current != null) {
                ctx.channel().config().setAutoRead(false);
                waiting = request;
            } else {
                begin(ctx, request);
            }
            if (msg instanceof FullHttpRequest full) {
                // Whole requests come from HTTP/2 (a HEADERS frame that ends the stream). Exchanges see a head and
                // then a body, as from HTTP/1.1: a body that is also a request head would be sent on as a second head.
                deliver(ctx, new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
            }
        } else if (msg instanceof HttpContent content) {
            deliver(ctx, content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void deliver(ChannelHandlerContext ctx, HttpContent content) {
        if (draining) {
            drained += content.content().readableBytes();
            boolean last = content instanceof LastHttpContent;
            content.release();
            if (last || drained > MAX_DRAINED_BYTES) {
                ctx.close();
            }
            return;
        }
        if (waiting != null) {
            waitingBody.add(content);
        } else if (current != null && !currentRequestComplete) {
            currentRequestComplete = content instanceof LastHttpContent;
            current.content(content);
        } else {
            content.release(); // the body of a request already answered (for example a 401), drained
        }
    }

    private void begin(ChannelHandlerContext ctx, HttpRequest request) {
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            Throwable cause = result.cause();
            int status = cause instanceof TooLongHttpHeaderException ? 431
                    : cause instanceof TooLongHttpLineException ? 414
                    : cause instanceof TooLongFrameException ? 413 : 400;
            LOG.debug("bad request from {}: {}", ctx.channel().remoteAddress(), cause.toString());
            // The decoder now drops whatever else comes; keep reading a moment before closing, so a
            // client still sending (a huge header) gets the answer instead of a reset.
            ctx.writeAndFlush(HttpReplies.error(status, "bad-request", "malformed HTTP request: " + cause.getMessage()))
                    .addListener(f -> closeLater(ctx, BAD_REQUEST_LINGER_MILLIS));
            ctx.channel().config().setAutoRead(true);
            current = new Exchange() {
                @Override
                public void content(HttpContent content) {
                    content.release();
                }
            };
            return;
        }
        currentRequestComplete = false;
        opening = true;
        earlyFinish = null;
        Exchange opened = exchanges.open(ctx, this, request);
        opening = false;
        current = opened;
        if (earlyFinish != null) { // the exchange answered before open() returned
            finished(ctx, opened, earlyFinish);
        }
    }

    /**
     * Called by the exchange on this connection's event loop when its answer is complete.
     *
     * @param keepAlive whether the connection may carry another request
     */
    public void finished(ChannelHandlerContext ctx, Exchange exchange, boolean keepAlive) {
        if (opening) {
            earlyFinish = keepAlive;
            return;
        }
        if (exchange != current) {
            return;
        }
        current = null;
        if (!keepAlive || !ctx.channel().isActive()) {
            if (!currentRequestComplete && ctx.channel().isActive()) {
                drainThenClose(ctx);
            } else {
                ctx.close();
            }
            return;
        }
        if (waiting != null) {
            HttpRequest next = waiting;
            waiting = null;
            begin(ctx, next);
            HttpContent body;
            while ((body = waitingBody.poll()) != null) {
                deliver(ctx, body);
            }
        }
        ctx.channel().config().setAutoRead(true);
    }

    /**
     * An exchange whose answer is known at once (a 404, a redirect, a static asset). A request body is
     * not read: the connection closes after the answer instead.
     */
    public Exchange answerNow(ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse response) {
        boolean reuse = keepAlive(request) && !HttpUtil.isContentLengthSet(request)
                && !HttpUtil.isTransferEncodingChunked(request);
        HttpUtil.setKeepAlive(response, reuse);
        Exchange answered = content -> content.release();
        ctx.writeAndFlush(response).addListener(f -> finished(ctx, answered, reuse && f.isSuccess()));
        return answered;
    }

    /**
     * Answered before its body arrived (a 401, 404 or 413 to an upload): read and drop the rest of the
     * body, then close. Closing with unread bytes would make the kernel reset the connection, and a
     * client that sends its whole body before reading (most do) would never see the answer.
     * A body far over the bound, or one that stops coming, is not waited for.
     */
    private void drainThenClose(ChannelHandlerContext ctx) {
        draining = true;
        closeLater(ctx, java.util.concurrent.TimeUnit.SECONDS.toMillis(DRAIN_SECONDS));
        ctx.channel().config().setAutoRead(true);
    }

    /** Closes after a while unless the peer does first; the timer goes with the connection. */
    private void closeLater(ChannelHandlerContext ctx, long millis) {
        var timer = ctx.executor().schedule(() -> {
            ctx.close();
        }, millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        // Cancelled on close, so a closed connection is not kept reachable until the timer fires.
        ctx.channel().closeFuture().addListener(f -> timer.cancel(false));
    }

    /** Whether the request may be followed by another on this connection. */
    public static boolean keepAlive(HttpRequest request) {
        return HttpUtil.isKeepAlive(request);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null) {
            current.viewerWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (current != null) {
            current.viewerClosed();
            current = null;
        }
        waiting = null;
        HttpContent body;
        while ((body = waitingBody.poll()) != null) {
            body.release();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && current == null) {
            ctx.close(); // idle between requests
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("viewer connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
