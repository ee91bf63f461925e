package dev.outpost.cloud.api;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.cloud.edge.Exchange;
import dev.outpost.cloud.edge.FrontDoor;
import dev.outpost.cloud.http.HttpReplies;
import dev.outpost.cloud.http.SessionTokens;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One API request: reads the (bounded) body, runs the handler on a virtual thread, writes the JSON
 * answer back to the connection.
 */
public final class ApiExchange implements Exchange {
    private static final Logger LOG = LoggerFactory.getLogger(ApiExchange.class);
    /** API bodies are small JSON documents; anything larger is refused before it is buffered. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final ChannelHandlerContext ctx;
    private final FrontDoor door;
    private final HttpRequest request;
    private final ApiRouter router;
    private final Executor blocking;
    private ByteBuf body = Unpooled.EMPTY_BUFFER;
    private boolean refused;

    public ApiExchange(ChannelHandlerContext ctx, FrontDoor door, HttpRequest request, ApiRouter router, Executor blocking) {
        this.ctx = ctx;
        this.door = door;
        this.request = request;
        this.router = router;
        this.blocking = blocking;
        if (HttpUtil.getContentLength(request, 0L) > MAX_BODY_BYTES) {
            refuse();
        }
    }

    @Override
    public void content(HttpContent content) {
        try {
            if (refused) {
                return; // the front door drains what is left of the body after the 413
            }
            if (body.readableBytes() + content.content().readableBytes() > MAX_BODY_BYTES) {
                refuse();
                return;
            }
            if (content.content().isReadable()) {
                if (body == Unpooled.EMPTY_BUFFER) {
                    body = ctx.alloc().buffer(Math.min(MAX_BODY_BYTES, Math.max(256, content.content().readableBytes())));
                }
                body.writeBytes(content.content());
            }
            if (content instanceof LastHttpContent) {
                dispatch();
            }
        } finally {
            content.release();
        }
    }

    private void refuse() {
        refused = true;
        release();
        FullHttpResponse response = HttpReplies.error(413, "too-large", "API request bodies are limited to "
                + MAX_BODY_BYTES + " bytes");
        HttpUtil.setKeepAlive(response, false);
        ctx.writeAndFlush(response).addListener(f -> door.finished(ctx, this, false));
    }

    private void dispatch() {
        byte[] bytes = new byte[body.readableBytes()];
        body.readBytes(bytes);
        release();
        ctx.channel().config().setAutoRead(false);
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String address = ctx.channel().remoteAddress() instanceof InetSocketAddress inet
                ? inet.getAddress().getHostAddress() : "unknown";
        blocking.execute(() -> {
            FullHttpResponse response;
            try {
                ApiRouter.Match match = router.match(request.method(), uri.path());
                ApiCall call = new ApiCall(request.method(), uri.path(), match.params(), Map.copyOf(uri.parameters()),
                        request.headers(), bytes, address, SessionTokens.from(request.headers()));
                ApiReply reply = match.handler().handle(call);
                if (reply.body() instanceof ApiReply.Streamed streamed) {
                    stream(reply, streamed);
                    return;
                }
                response = render(reply);
            } catch (ApiFailure failure) {
                response = HttpReplies.failure(failure);
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", request.method(), uri.path(), e);
                response = HttpReplies.error(500, "internal", "the cloud failed to handle this request; see its log");
            }
            boolean keepAlive = FrontDoor.keepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            FullHttpResponse answer = response;
            ctx.writeAndFlush(answer).addListener(f -> door.finished(ctx, this, keepAlive && f.isSuccess()));
        });
    }

    /** Chunk size of a streamed answer: what one read and one write hold at a time. */
    static final int STREAM_CHUNK = 256 * 1024;

    /**
     * Writes a streamed answer on this virtual thread: the head, then chunks read one after another, each written
     * before the next is read (waiting for the write), so one answer holds one chunk at most. A viewer that goes away
     * ends it and the connection.
     */
    private void stream(ApiReply reply, ApiReply.Streamed body) {
        io.netty.handler.codec.http.HttpResponse head = HttpReplies.secure(new io.netty.handler.codec.http
                .DefaultHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, reply.status()));
        head.headers().set(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_TYPE, body.contentType())
                .set(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_LENGTH, body.length());
        reply.headers().forEach((name, value) -> head.headers().add(name, value));
        boolean keepAlive = FrontDoor.keepAlive(request);
        HttpUtil.setKeepAlive(head, keepAlive);
        try {
            ctx.writeAndFlush(head).sync();
            long at = 0;
            while (at < body.length()) {
                byte[] chunk = body.reader().read(at, (int) Math.min(STREAM_CHUNK, body.length() - at));
                if (chunk.length == 0) {
                    throw new java.io.IOException("the body ended at byte " + at + " of " + body.length());
                }
                ctx.writeAndFlush(new io.netty.handler.codec.http.DefaultHttpContent(Unpooled.wrappedBuffer(chunk)))
                        .sync();
                at += chunk.length;
            }
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                    .addListener(f -> door.finished(ctx, this, keepAlive && f.isSuccess()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ctx.close().addListener(f -> door.finished(ctx, this, false));
        } catch (Exception e) { // sync() rethrows a failed write's cause, checked or not
            LOG.debug("{} {}: streamed answer ended early: {}", request.method(), request.uri(), e.toString());
            ctx.close().addListener(f -> door.finished(ctx, this, false));
        }
    }

    private static FullHttpResponse render(ApiReply reply) {
        FullHttpResponse response;
        if (reply.body() == null) {
            response = HttpReplies.empty(reply.status());
        } else if (reply.body() instanceof ApiReply.Bytes bytes) {
            response = HttpReplies.secure(new io.netty.handler.codec.http.DefaultFullHttpResponse(
                    io.netty.handler.codec.http.HttpVersion.HTTP_1_1, reply.status(), Unpooled.wrappedBuffer(bytes.bytes())));
            response.headers().set(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_TYPE, bytes.contentType())
                    .setInt(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_LENGTH, bytes.bytes().length)
                    .set(io.netty.handler.codec.http.HttpHeaderNames.CACHE_CONTROL, "private, max-age=86400");
        } else {
            response = HttpReplies.json(reply.status(), reply.body());
        }
        reply.headers().forEach((name, value) -> response.headers().add(name, value));
        return response;
    }

    private void release() {
        if (body != Unpooled.EMPTY_BUFFER) {
            body.release();
            body = Unpooled.EMPTY_BUFFER;
        }
    }

    @Override
    public void viewerClosed() {
        release();
    }
}
