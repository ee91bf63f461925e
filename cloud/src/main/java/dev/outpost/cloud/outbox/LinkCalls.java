package dev.outpost.cloud.outbox;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.cloud.links.LinkRegistry;
import dev.outpost.cloud.links.RecorderLink;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The cloud's own requests to a recorder over its link: one HTTP/2 stream each, the answer gathered whole
 * (bounded) and handed back to a blocking caller on a virtual thread.
 */
public final class LinkCalls {
    /** A recorder's whole answer. */
    public record Answer(int status, byte[] body, io.netty.handler.codec.http.HttpHeaders headers) {
        public Answer(int status, byte[] body) {
            this(status, body, io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
        }
    }

    private LinkCalls() {
    }

    /**
     * For an API request a user is waiting on: sends one request to recorder {@code recorderId} over its link and
     * waits for the whole answer. An offline recorder, or one that cannot be reached, is the API's 503
     * {@code recorder-offline}.
     */
    public static Answer callForApi(LinkRegistry links, String recorderId, HttpMethod method, String path,
                                    String grant, byte[] body, int maxAnswerBytes, Duration timeout) {
        RecorderLink link = links.find(recorderId).orElseThrow(() -> new ApiFailure(503, "recorder-offline",
                "recorder " + recorderId + " is offline: try again once it is connected"));
        try {
            return call(link, method, path, grant, body, maxAnswerBytes, timeout);
        } catch (IOException e) {
            throw new ApiFailure(503, "recorder-offline", "recorder " + recorderId + " could not be reached: "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiFailure(503, "recorder-offline", "interrupted");
        }
    }

    /**
     * Sends one request and waits for the whole answer.
     *
     * @throws IOException when the link has no room for another stream, drops, the answer is larger than
     *                     {@code maxAnswerBytes}, or does not come within {@code timeout}
     */
    public static Answer call(RecorderLink link, HttpMethod method, String path, String grant, byte[] body, int maxAnswerBytes,
                       Duration timeout) throws IOException, InterruptedException {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        Optional<Future<Http2StreamChannel>> opening = link.openOwnStream(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false),
                        new HttpObjectAggregator(maxAnswerBytes),
                        new SimpleChannelInboundHandler<FullHttpResponse>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                                answer.complete(new Answer(response.status().code(),
                                        ByteBufUtil.getBytes(response.content()), response.headers().copy()));
                                ctx.close();
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                answer.completeExceptionally(new IOException("the stream to recorder "
                                        + link.recorderId() + " closed before its answer"));
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                answer.completeExceptionally(new IOException("the stream to recorder "
                                        + link.recorderId() + " failed: " + cause.getMessage(), cause));
                                ctx.close();
                            }
                        });
            }
        });
        if (opening.isEmpty()) {
            throw new IOException("the link of recorder " + link.recorderId() + " is down");
        }
        Http2StreamChannel stream;
        try {
            stream = opening.get().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot open a stream to recorder " + link.recorderId() + ": " + e, e);
        }
        // However the stream or the whole link ends (even by an event loop shutting down), the caller stops waiting.
        stream.closeFuture().addListener(f -> answer.completeExceptionally(new IOException("the stream to recorder "
                + link.recorderId() + " closed before its answer")));
        stream.parent().closeFuture().addListener(f -> answer.completeExceptionally(new IOException("the link of "
                + "recorder " + link.recorderId() + " closed")));
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path,
                Unpooled.wrappedBuffer(body));
        request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + grant);
        request.headers().set(HttpHeaderNames.HOST, "recorder");
        request.headers().set(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(), "https");
        if (body.length > 0) {
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        stream.writeAndFlush(request);
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("recorder " + link.recorderId() + " did not answer " + path + " within " + timeout);
        } finally {
            stream.close();
        }
    }
}
