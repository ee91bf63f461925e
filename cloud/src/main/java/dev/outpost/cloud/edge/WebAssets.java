package dev.outpost.cloud.edge;

import dev.outpost.cloud.http.HttpReplies;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web client's static files, served from the classpath folder {@code web/} and held in memory
 * (they are few and small). Every asset comes from Outpost itself: no CDN.
 */
public final class WebAssets {
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png",
            "json", "application/json", "ico", "image/x-icon");
    private static final String CSP = "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; "
            + "connect-src 'self'; frame-ancestors 'none'";

    private final ClassLoader loader;
    private final String root;
    private final ConcurrentHashMap<String, byte[]> cache = new ConcurrentHashMap<>();

    public WebAssets(ClassLoader loader, String root) {
        this.loader = loader;
        this.root = root;
    }

    public static WebAssets fromClasspath() {
        return new WebAssets(WebAssets.class.getClassLoader(), "web");
    }

    FullHttpResponse answer(HttpRequest request) {
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            return HttpReplies.error(405, "method-not-allowed", "web assets are read with GET");
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (path.endsWith("/")) {
            path = path + "index.html";
        }
        if (path.contains("..") || path.contains("//") || !path.matches("[A-Za-z0-9_./-]{1,200}")) {
            return HttpReplies.error(404, "not-found", "no such page");
        }
        byte[] bytes = load(path.substring(1));
        if (bytes == null) {
            return HttpReplies.error(404, "not-found", "no such page: " + path);
        }
        String extension = path.substring(path.lastIndexOf('.') + 1);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                HttpMethod.HEAD.equals(request.method()) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, TYPES.getOrDefault(extension, "application/octet-stream"))
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .set("Content-Security-Policy", CSP)
                .set("Referrer-Policy", "no-referrer");
        return HttpReplies.secure(response);
    }

    private byte[] load(String relative) {
        byte[] cached = cache.get(relative);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = loader.getResourceAsStream(root + "/" + relative)) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readAllBytes();
            cache.put(relative, bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
