package dev.outpost.cloud.edge;

import dev.outpost.cloud.http.HttpReplies;
import dev.outpost.web.WebApp;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Optional;

/**
 * The web client (module {@code web}) over the cloud's HTTP: each of its files with its content type and
 * the app's security headers. Every asset comes from Outpost itself: no CDN.
 */
public final class WebAssets {
    private final WebApp app;

    public WebAssets(WebApp app) {
        this.app = app;
    }

    public static WebAssets fromClasspath() {
        return new WebAssets(WebApp.fromClasspath());
    }

    FullHttpResponse answer(HttpRequest request) {
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            return HttpReplies.error(405, "method-not-allowed", "web assets are read with GET");
        }
        String path = new QueryStringDecoder(request.uri()).path();
        Optional<WebApp.Asset> found = app.asset(path);
        if (found.isEmpty()) {
            return HttpReplies.error(404, "not-found", "no such page: " + (path.length() > 200 ? path.substring(0, 200) : path));
        }
        byte[] bytes = found.get().bytes();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                HttpMethod.HEAD.equals(request.method()) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, found.get().contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        WebApp.SECURITY_HEADERS.forEach(response.headers()::set);
        return HttpReplies.secure(response);
    }
}
