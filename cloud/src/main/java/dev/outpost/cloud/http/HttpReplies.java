package dev.outpost.cloud.http;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.wire.api.ApiError;
import dev.outpost.wire.json.Json;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Complete HTTP answers of the cloud: JSON bodies and {@link ApiError}s, with safe default headers. */
public final class HttpReplies {
    private HttpReplies() {
    }

    public static FullHttpResponse json(HttpResponseStatus status, Object body) {
        byte[] bytes = Json.write(body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return secure(response);
    }

    public static FullHttpResponse error(int status, String error, String message) {
        return json(HttpResponseStatus.valueOf(status), new ApiError(error, message));
    }

    public static FullHttpResponse failure(ApiFailure failure) {
        FullHttpResponse response = error(failure.status(), failure.error(), failure.getMessage());
        failure.retryAfter().ifPresent(d -> response.headers()
                .setInt(HttpHeaderNames.RETRY_AFTER, (int) Math.max(1, d.toSeconds() + (d.toMillisPart() > 0 ? 1 : 0))));
        if (failure.status() == 401) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"outpost\"");
        }
        return response;
    }

    public static FullHttpResponse empty(HttpResponseStatus status) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return secure(response);
    }

    /** Headers every cloud answer carries. */
    public static <T extends io.netty.handler.codec.http.HttpResponse> T secure(T response) {
        response.headers()
                .set("Strict-Transport-Security", "max-age=31536000")
                .set("X-Content-Type-Options", "nosniff");
        return response;
    }
}
