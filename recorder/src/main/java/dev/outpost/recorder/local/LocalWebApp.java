package dev.outpost.recorder.local;

import dev.outpost.web.WebApp;
import dev.outpost.wire.api.ApiError;
import dev.outpost.wire.json.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;

/**
 * The web client on the recorder's local port, for viewers on its LAN: {@code GET} (or {@code HEAD}) of any path
 * outside {@code /api/} is a file of the app ({@link WebApp}, the same files the cloud serves, with the same security
 * headers) or {@link LocalWebSite#PATH}; everything else goes on to the API router, which wants a grant. The app
 * itself holds no secret, so it is served without one; it gets its grant from the cloud's sign-in.
 *
 * <p>One instance per connection (it remembers whether the rest of a request it answered is still arriving).
 */
final class LocalWebApp extends ChannelInboundHandlerAdapter {
    private final WebApp app;
    private final byte[] site;
    /** The rest of a request answered here is still arriving: thrown away, not routed. */
    private boolean discarding;

    LocalWebApp(WebApp app, LocalWebSite site) {
        this.app = app;
        this.site = Json.write(site.body());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && isForApp(request)) {
            discarding = !(msg instanceof LastHttpContent);
            try {
                answer(ctx, request);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        } else if (discarding && msg instanceof HttpContent content) {
            discarding = !(content instanceof LastHttpContent);
            content.release();
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private static boolean isForApp(HttpRequest request) {
        boolean read = HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
        return read && request.decoderResult().isSuccess() && !request.uri().startsWith("/api/");
    }

    private void answer(ChannelHandlerContext ctx, HttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).rawPath();
        FullHttpResponse response;
        if (path.equals(LocalWebSite.PATH)) {
            response = ok(request, HttpHeaderValues.APPLICATION_JSON.toString(), site);
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        } else {
            Optional<WebApp.Asset> asset = app.asset(path);
            if (asset.isPresent()) {
                response = ok(request, asset.get().contentType(), asset.get().bytes());
                WebApp.SECURITY_HEADERS.forEach(response.headers()::set);
            } else {
                byte[] body = Json.write(new ApiError("not-found", "no such page on this recorder"));
                response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.NOT_FOUND,
                        Unpooled.wrappedBuffer(body));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            }
        }
        response.headers().set("X-Content-Type-Options", "nosniff");
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (HttpMethod.HEAD.equals(request.method())) {
            response.content().clear(); // the length of what GET would send stays
        }
        HttpUtil.setKeepAlive(response, HttpUtil.isKeepAlive(request));
        ctx.writeAndFlush(response);
    }

    private static FullHttpResponse ok(HttpRequest request, String contentType, byte[] body) {
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return response;
    }
}
