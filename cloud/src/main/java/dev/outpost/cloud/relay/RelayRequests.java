package dev.outpost.cloud.relay;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.HttpConversionUtil;
import java.util.List;
import java.util.Locale;

/**
 * How a viewer's request is rewritten for the recorder, and the recorder's answer for the viewer.
 * Hop-by-hop headers (RFC 9110 section 7.6.1) never cross; the viewer's session never reaches the
 * recorder, which sees a grant instead.
 */
final class RelayRequests {
    private static final List<CharSequence> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION,
            HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE,
            "proxy-connection");

    private RelayRequests() {
    }

    /** The request as the recorder gets it: its own path, the grant, and who is asking from where. */
    static HttpRequest toRecorder(HttpRequest viewer, String recorderPath, String grant, String viewerAddress) {
        HttpHeaders headers = viewer.headers().copy();
        stripHopByHop(headers);
        headers.remove(HttpHeaderNames.COOKIE);
        headers.remove(HttpHeaderNames.HOST);
        headers.remove(HttpHeaderNames.EXPECT); // answered by the cloud already
        headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + grant);
        headers.set(HttpHeaderNames.HOST, "recorder");
        headers.set("Forwarded", "for=\"" + viewerAddress.replace("\"", "") + "\";proto=https");
        headers.set(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(), "https");
        boolean hasBody = HttpUtil.isContentLengthSet(viewer) || HttpUtil.isTransferEncodingChunked(viewer);
        if (HttpUtil.isTransferEncodingChunked(viewer)) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        }
        DefaultHttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, viewer.method(), recorderPath, headers);
        if (!hasBody) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        }
        return request;
    }

    /** The recorder's response as the viewer gets it over HTTP/1.1. */
    static void toViewer(HttpResponse response, boolean keepAlive) {
        HttpHeaders headers = response.headers();
        for (HttpConversionUtil.ExtensionHeaderNames name : HttpConversionUtil.ExtensionHeaderNames.values()) {
            headers.remove(name.text());
        }
        stripHopByHop(headers);
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (!HttpUtil.isContentLengthSet(response) && mayHaveBody(response)) {
            HttpUtil.setTransferEncodingChunked(response, true);
        }
        // Tell buffering reverse proxies and filters that this body streams (video has no end).
        headers.set("X-Accel-Buffering", "no");
        HttpUtil.setKeepAlive(response, keepAlive);
    }

    private static boolean mayHaveBody(HttpResponse response) {
        int code = response.status().code();
        return code >= 200 && code != 204 && code != 304;
    }

    private static void stripHopByHop(HttpHeaders headers) {
        for (String named : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : named.split(",")) {
                headers.remove(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        for (CharSequence name : HOP_BY_HOP) {
            headers.remove(name);
        }
    }
}
