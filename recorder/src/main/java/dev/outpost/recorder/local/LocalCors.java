package dev.outpost.recorder.local;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.util.Locale;

/**
 * Cross-origin access to the local API for the web client as the cloud serves it, so a browser on the recorder's LAN
 * plays video straight from the recorder (docs/web.md, "Paths in the browser"). Only the cloud's own origin is
 * allowed, and only without credentials: the grant travels in {@code Authorization}, never in a cookie. Answers the
 * CORS preflight (Fetch standard, "CORS protocol") and Chrome's Private Network Access preflight
 * ({@code Access-Control-Allow-Private-Network: true}) itself, and marks the answers to that origin's requests.
 *
 * <p>One instance per connection: HTTP/1.1 serves one request at a time, so the origin of the request in progress
 * is the one its answer is for.
 */
final class LocalCors extends ChannelDuplexHandler {
    static final String MAX_AGE_SECONDS = "600";

    private final String allowedOrigin;
    /** The request in progress came from the allowed origin. */
    private boolean fromAllowedOrigin;
    /** The rest of a preflight answered here is still arriving. */
    private boolean discarding;

    LocalCors(URI cloudUrl) {
        this.allowedOrigin = originOf(cloudUrl);
    }

    /** The origin a browser sends for pages of {@code url}: scheme, host and port unless it is the scheme's own. */
    static String originOf(URI url) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        int port = url.getPort();
        boolean defaultPort = port < 0 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        return scheme + "://" + url.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            fromAllowedOrigin = allowedOrigin.equals(request.headers().get(HttpHeaderNames.ORIGIN));
            if (fromAllowedOrigin && HttpMethod.OPTIONS.equals(request.method())
                    && request.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
                discarding = !(msg instanceof LastHttpContent);
                try {
                    preflight(ctx, request);
                } finally {
                    ReferenceCountUtil.release(msg);
                }
                return;
            }
        } else if (discarding && msg instanceof HttpContent content) {
            discarding = !(content instanceof LastHttpContent);
            content.release();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void preflight(ChannelHandlerContext ctx, HttpRequest request) {
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.NO_CONTENT,
                Unpooled.EMPTY_BUFFER);
        response.headers()
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowedOrigin) // written past this handler's write()
                .set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN)
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD")
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "authorization")
                .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS);
        if ("true".equalsIgnoreCase(request.headers().get("Access-Control-Request-Private-Network"))) {
            response.headers().set("Access-Control-Allow-Private-Network", "true");
        }
        HttpUtil.setKeepAlive(response, HttpUtil.isKeepAlive(request));
        ctx.writeAndFlush(response);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && response.status().code() >= 200) {
            response.headers().add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
            if (fromAllowedOrigin) {
                response.headers()
                        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowedOrigin)
                        .set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "X-Outpost-Playback-Start, X-Outpost-Capture-Time");
            }
        }
        ctx.write(msg, promise);
    }
}
