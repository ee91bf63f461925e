package dev.outpost.recorder.api;

import dev.outpost.wire.api.ApiError;
import dev.outpost.wire.grant.Grant;
import dev.outpost.wire.json.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP router of a recorder: every request, whether it came to the local port or through the
 * cloud's relay as an HTTP/2 stream, is authorized by its grant and served here (docs/api.md,
 * "Recorder"). It reads {@code HttpObject}s and writes {@code HttpObject}s, so it runs unchanged behind
 * {@code HttpServerCodec} (HTTP/1.1 keep-alive, one request at a time) and behind
 * {@code Http2StreamFrameToHttpObjectCodec} on an HTTP/2 child channel (one request per channel).
 *
 * <p>One instance per channel: it holds the state of the exchange in progress. An exchange ends when
 * both the answer has been written and the request has been read to its end; a request body nobody
 * asked for is drained, up to {@link #DRAIN_LIMIT}, after which the connection is closed instead.
 *
 * <p>HTTP/1.1 pipelining is not served: a second request that arrives before the current exchange
 * ended is dropped, reading stops, and the connection closes once the current answer is out, so the
 * client retries on a new connection (RFC 9112 section 9.3.2 lets it).
 */
public final class RecorderRouter extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RecorderRouter.class);
    /** Unwanted request body bytes read and thrown away before the connection is closed instead. */
    static final long DRAIN_LIMIT = 1024 * 1024;
    static final String REALM = GrantCheck.REALM;

    private final RecorderApi api;
    private final ApiCounters counters;

    /** The request of the exchange in progress; null between exchanges. */
    private HttpRequest request;
    private boolean requestDone;
    private boolean responseStarted;
    private boolean responseDone;
    private boolean closeAfterExchange;
    private boolean closing;
    private boolean echoing;
    private boolean readingPaused;
    private boolean flushPending;
    private long drained;
    /** The call of the exchange in progress, to which answers belong; null between exchanges. */
    private ApiCall call;
    private ResponseStream stream;
    private ChannelFuture lastWrite;
    /** The request body an endpoint asked for ({@link ApiCall#readBody}), while it arrives; null otherwise. */
    private BodyReader bodyReader;

    RecorderRouter(RecorderApi api) {
        this.api = api;
        this.counters = api.counters();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg); // whatever the client sent after we decided to close
            return;
        }
        if (msg instanceof HttpRequest head) {
            if (request != null) {
                // A pipelined request: not served (see the class comment).
                log.debug("{} pipelined request {} {} dropped; closing after the current answer",
                        ctx.channel(), head.method(), head.uri());
                ReferenceCountUtil.release(msg);
                closeAfterExchange = true;
                ctx.channel().config().setAutoRead(false);
                return;
            }
            begin(ctx, head);
        }
        if (msg instanceof HttpContent content) {
            body(ctx, content);
        } else if (!(msg instanceof HttpRequest)) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (stream != null) {
            stream.writabilityChanged();
        }
        if (readingPaused && ctx.channel().isWritable()) {
            readingPaused = false;
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        bodyReader = null;
        if (stream != null) {
            stream.channelClosed();
            stream = null;
        }
        call = null;
        if (request != null) {
            request = null;
            counters.exchangeClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("{} closed: {}", ctx.channel(), cause.toString());
        } else {
            log.warn("{} failed; closing it", ctx.channel(), cause);
        }
        ctx.close();
    }

    private void begin(ChannelHandlerContext ctx, HttpRequest head) {
        request = head;
        requestDone = false;
        responseStarted = false;
        responseDone = false;
        echoing = false;
        drained = 0;
        counters.request();
        counters.exchangeOpened();
        if (head.decoderResult().isFailure()) {
            // The codec gives up on the connection after a malformed request: answer, then close.
            requestDone = true;
            closeAfterExchange = true;
            answerError(ctx, ApiRefusal.ofDecoderFailure(head.decoderResult().cause()));
            return;
        }
        try {
            Grant grant = GrantCheck.authorize(head, api.verifier(), counters);
            route(ctx, head, grant);
        } catch (ApiRefusal refusal) {
            answerError(ctx, refusal);
        } catch (RuntimeException e) {
            failed(ctx, e);
        }
    }

    private void route(ChannelHandlerContext ctx, HttpRequest head, Grant grant) throws ApiRefusal {
        QueryStringDecoder uri;
        try {
            uri = new QueryStringDecoder(head.uri());
            uri.path();
        } catch (IllegalArgumentException e) {
            throw new ApiRefusal(400, "bad-uri", "the request URI is not valid: " + e.getMessage());
        }
        ApiRoutes.Found found = api.routes().find(head.method(), uri.path());
        if (!grant.allows(found.route().right())) {
            throw new ApiRefusal(403, "forbidden",
                    "this grant does not carry the '" + found.route().right() + "' right that " + uri.path() + " needs");
        }
        call = new ApiCall(this, ctx, head, grant, found.params(), uri.parameters());
        found.route().endpoint().serve(call);
    }

    // The answers an ApiCall gives. Each runs on the event loop, and drops an answer for an exchange that ended.

    void answerJson(ApiCall from, HttpResponseStatus status, Object body) {
        byte[] json = Json.write(body);
        onLoop(from, () -> answerFull(from.ctx(), status, HttpHeaderValues.APPLICATION_JSON.toString(),
                Unpooled.wrappedBuffer(json), Map.of()));
    }

    void answerBytes(ApiCall from, HttpResponseStatus status, String contentType, ByteBuf body,
                     Map<String, String> headers) {
        onLoop(from, () -> answerFull(from.ctx(), status, contentType, body, headers), body::release);
    }

    /** An answer without a body, such as 204 No Content. */
    void answerEmpty(ApiCall from, HttpResponseStatus status) {
        onLoop(from, () -> answerFull(from.ctx(), status, "", Unpooled.EMPTY_BUFFER, Map.of()));
    }

    void answerRefusal(ApiCall from, ApiRefusal refusal) {
        onLoop(from, () -> answerError(from.ctx(), refusal));
    }

    void answerFailure(ApiCall from, Throwable cause) {
        onLoop(from, () -> failed(from.ctx(), cause));
    }

    ResponseStream startStreaming(ApiCall from, HttpResponse head) throws ApiRefusal {
        refuseUnsupportedExpectation();
        writeStreamingHead(from.ctx(), head);
        stream = new ResponseStream(this, from);
        return stream;
    }

    void endStreaming(ApiCall from) {
        onLoop(from, () -> {
            ChannelHandlerContext ctx = from.ctx();
            lastWrite = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            responseDone = true;
            maybeEndExchange(ctx);
        });
    }

    void startReadingBody(ApiCall from, int limit, ApiCall.BodyHandler handler) throws ApiRefusal {
        refuseUnsupportedExpectation();
        long declared = HttpUtil.getContentLength(request, -1L);
        if (declared > limit) {
            throw bodyTooLarge(limit); // before the client sends it, if it waits for 100 Continue
        }
        if (HttpUtil.is100ContinueExpected(request)) {
            from.ctx().writeAndFlush(new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
        bodyReader = new BodyReader(limit, handler);
    }

    void startEcho(ApiCall from) throws ApiRefusal {
        refuseUnsupportedExpectation();
        ChannelHandlerContext ctx = from.ctx();
        HttpRequest head = from.request();
        if (HttpUtil.is100ContinueExpected(head)) {
            ctx.write(new DefaultFullHttpResponse(head.protocolVersion(), HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
        HttpResponse response = new DefaultHttpResponse(head.protocolVersion(), HttpResponseStatus.OK);
        String type = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE,
                type != null ? type : HttpHeaderValues.APPLICATION_OCTET_STREAM.toString());
        writeStreamingHead(ctx, response);
        echoing = true;
    }

    /**
     * From a blocking worker: starts the streamed answer on the event loop and waits until it started; empty when the
     * exchange ended first (the viewer went away) or the answer was refused.
     */
    Optional<ResponseStream> startStreamingFromWorker(ApiCall from, HttpResponse head) throws InterruptedException {
        CompletableFuture<Optional<ResponseStream>> started = new CompletableFuture<>();
        onLoop(from, () -> {
            try {
                started.complete(Optional.of(startStreaming(from, head)));
            } catch (ApiRefusal refusal) {
                answerError(from.ctx(), refusal);
                started.complete(Optional.empty());
            }
        }, () -> started.complete(Optional.empty()));
        try {
            return started.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("starting a streamed answer failed", e.getCause());
        }
    }

    private void onLoop(ApiCall from, Runnable answer) {
        onLoop(from, answer, () -> log.debug("{} answer dropped: the exchange ended before it was ready",
                from.ctx().channel()));
    }

    /**
     * Runs {@code answer} on the event loop if {@code from} is still the exchange in progress and has not been
     * answered, else {@code dropped}.
     */
    private void onLoop(ApiCall from, Runnable answer, Runnable dropped) {
        ChannelHandlerContext ctx = from.ctx();
        if (!ctx.executor().inEventLoop()) {
            try {
                ctx.executor().execute(() -> onLoop(from, answer, dropped));
            } catch (RuntimeException rejected) { // the event loop is shutting down
                dropped.run();
            }
            return;
        }
        if (call != from || responseDone) {
            dropped.run();
            return;
        }
        answer.run();
    }

    private void failed(ChannelHandlerContext ctx, Throwable cause) {
        log.error("{} {} {} failed", ctx.channel(), request.method(), request.uri(), cause);
        if (responseStarted) {
            ctx.close();
        } else {
            closeAfterExchange = true;
            answerError(ctx, new ApiRefusal(500, "internal", "the recorder failed to answer; see its log"));
        }
    }

    private void refuseUnsupportedExpectation() throws ApiRefusal {
        String expect = request.headers().get(HttpHeaderNames.EXPECT);
        if (expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect)) {
            throw new ApiRefusal(417, "expectation-failed",
                    "only Expect: 100-continue is understood, not " + expect);
        }
    }

    /** The head of an answer of unknown length: chunked in HTTP/1.1, ended by closing in HTTP/1.0. */
    private void writeStreamingHead(ChannelHandlerContext ctx, HttpResponse head) {
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        head.headers().set("X-Content-Type-Options", "nosniff");
        head.headers().set(HttpHeaderNames.DATE, DateFormatter.format(new Date(api.clock().millis())));
        if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            closeAfterExchange = true;
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else {
            HttpUtil.setTransferEncodingChunked(head, true);
            setKeepAlive(head);
        }
        responseStarted = true;
        ctx.writeAndFlush(head);
    }

    private void body(ChannelHandlerContext ctx, HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (request == null || requestDone) {
            content.release(); // the rest of a refused or abandoned request
            return;
        }
        if (content.decoderResult().isFailure()) {
            content.release();
            requestDone = true;
            closeAfterExchange = true;
            if (responseStarted) {
                ctx.close();
            } else {
                answerError(ctx, ApiRefusal.ofDecoderFailure(content.decoderResult().cause()));
            }
            return;
        }
        if (echoing && !responseDone) {
            echo(ctx, content, last);
        } else if (bodyReader != null && !responseDone) {
            gather(ctx, content, last);
        } else {
            drained += content.content().readableBytes();
            content.release();
            if (!last && drained > DRAIN_LIMIT) {
                log.debug("{} unread request body past {} bytes; closing after the answer", ctx.channel(), DRAIN_LIMIT);
                closeAfterExchange = true;
                requestDone = true;
                maybeEndExchange(ctx);
                return;
            }
        }
        if (last) {
            requestDone = true;
            maybeEndExchange(ctx);
        }
    }

    /** Adds to the body an endpoint asked for; once it is whole, hands it over. Releases {@code content}. */
    private void gather(ChannelHandlerContext ctx, HttpContent content, boolean last) {
        BodyReader reader = bodyReader;
        boolean fits;
        try {
            fits = reader.add(content.content());
        } finally {
            content.release();
        }
        if (!fits) {
            // What else comes of this body is drained, up to DRAIN_LIMIT, like any body nobody wants.
            bodyReader = null;
            answerError(ctx, bodyTooLarge(reader.limit()));
            return;
        }
        if (!last) {
            return;
        }
        bodyReader = null;
        requestDone = true;
        try {
            reader.handler().accept(reader.bytes());
        } catch (ApiRefusal refusal) {
            answerError(ctx, refusal);
        } catch (RuntimeException e) {
            failed(ctx, e);
        }
    }

    private static ApiRefusal bodyTooLarge(int limit) {
        return new ApiRefusal(413, "body-too-large", "the request body is larger than this endpoint takes ("
                + limit + " bytes)");
    }

    private void echo(ChannelHandlerContext ctx, HttpContent content, boolean last) {
        ByteBuf data = content.content();
        counters.echoed(data.readableBytes());
        if (last) {
            // Hand the buffer on (ownership moves to the write); the request's trailers are not echoed.
            lastWrite = ctx.writeAndFlush(new DefaultLastHttpContent(data));
            flushPending = false;
            responseDone = true;
            return;
        }
        if (!data.isReadable()) {
            content.release();
            return;
        }
        ctx.write(new DefaultHttpContent(data));
        flushPending = true;
        if (!readingPaused && !ctx.channel().isWritable()) {
            // Backpressure: read no more of the request until the client reads what we echo.
            readingPaused = true;
            counters.paused();
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void answerFull(ChannelHandlerContext ctx, HttpResponseStatus status, String contentType, ByteBuf body,
                            Map<String, String> headers) {
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), status, body);
        headers.forEach(response.headers()::set);
        if (!contentType.isEmpty()) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        response.headers().set("X-Content-Type-Options", "nosniff");
        response.headers().set(HttpHeaderNames.DATE, DateFormatter.format(new Date(api.clock().millis())));
        if (status.code() != HttpResponseStatus.NO_CONTENT.code()) { // RFC 9110 section 8.6: never on a 204
            HttpUtil.setContentLength(response, response.content().readableBytes());
        }
        // A client that waits for 100 Continue sends no body after a final answer, or sends it anyway:
        // we cannot tell where its next request would start, so end the exchange here and close.
        if (!requestDone && HttpUtil.is100ContinueExpected(request)) {
            closeAfterExchange = true;
            requestDone = true;
        }
        setKeepAlive(response);
        responseStarted = true;
        responseDone = true;
        lastWrite = ctx.writeAndFlush(response);
        maybeEndExchange(ctx);
    }

    private void answerError(ChannelHandlerContext ctx, ApiRefusal refusal) {
        log.debug("{} {} {} -> {} {}", ctx.channel(), request.method(), request.uri(), refusal.status(), refusal.error());
        if (responseStarted) {
            ctx.close();
            return;
        }
        answerFull(ctx, HttpResponseStatus.valueOf(refusal.status()), HttpHeaderValues.APPLICATION_JSON.toString(),
                Unpooled.wrappedBuffer(Json.write(new ApiError(refusal.error(), refusal.getMessage()))), refusal.headers());
    }

    private void setKeepAlive(HttpMessage response) {
        boolean keepAlive = !closeAfterExchange && HttpUtil.isKeepAlive(request);
        if (!keepAlive) {
            closeAfterExchange = true;
        }
        HttpUtil.setKeepAlive(response.headers(), request.protocolVersion(), keepAlive);
        if (!keepAlive) {
            // Said even to HTTP/1.0, whose default it is: the codec answers a malformed head as HTTP/1.0.
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    private void maybeEndExchange(ChannelHandlerContext ctx) {
        if (request == null || !requestDone || !responseDone) {
            return;
        }
        request = null;
        call = null;
        echoing = false;
        stream = null;
        bodyReader = null;
        counters.exchangeClosed();
        if (closeAfterExchange) {
            closing = true;
            ChannelFuture last = lastWrite;
            if (last != null) {
                last.addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
        } else if (readingPaused) {
            readingPaused = false;
            ctx.channel().config().setAutoRead(true);
        }
        lastWrite = null;
    }
}
