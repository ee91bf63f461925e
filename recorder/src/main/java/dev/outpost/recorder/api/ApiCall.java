package dev.outpost.recorder.api;

import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.wire.grant.Grant;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request as an endpoint sees it (its grant, path parameters and query) and the ways to answer it. An endpoint
 * answers exactly once: a full answer ({@link #json}, {@link #bytes}, {@link #refuse}) or a streamed one
 * ({@link #stream}). The full answers may be given from any thread (they hop to the channel's event loop); an answer
 * to a call whose exchange already ended (the viewer went away) is dropped and its buffer released.
 */
final class ApiCall {
    private final RecorderRouter router;
    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final Grant grant;
    private final List<String> params;
    private final Map<String, List<String>> query;

    ApiCall(RecorderRouter router, ChannelHandlerContext ctx, HttpRequest request, Grant grant, List<String> params,
            Map<String, List<String>> query) {
        this.router = router;
        this.ctx = ctx;
        this.request = request;
        this.grant = grant;
        this.params = params;
        this.query = query;
    }

    Grant grant() {
        return grant;
    }

    HttpRequest request() {
        return request;
    }

    /** Path parameter {@code i} (0-based): the route's regex group {@code i + 1}. */
    String param(int i) {
        return params.get(i);
    }

    /** The first value of a query parameter. */
    Optional<String> query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    Map<String, List<String>> queryParameters() {
        return query;
    }

    /** The {@code stream} parameter: {@code hd} (the default) or {@code sd}. */
    StreamKind streamKind() throws ApiRefusal {
        String label = query("stream").orElse("hd");
        try {
            return StreamKind.fromLabel(label);
        } catch (IllegalArgumentException e) {
            throw ApiRefusal.badParameter("stream: " + e.getMessage());
        }
    }

    /** A time parameter as an ISO-8601 instant ({@code 2026-11-23T10:15:30Z}) or epoch milliseconds. */
    Optional<Instant> instant(String name) throws ApiRefusal {
        Optional<String> value = query(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String text = value.get().strip();
        try {
            if (!text.isEmpty() && text.chars().allMatch(Character::isDigit) && text.length() <= 15) {
                return Optional.of(Instant.ofEpochMilli(Long.parseLong(text)));
            }
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException | NumberFormatException e) {
            throw ApiRefusal.badParameter(name + ": '" + text
                    + "' is not a time; send an ISO-8601 instant such as 2026-11-23T10:15:30Z or epoch milliseconds");
        }
    }

    Instant requiredInstant(String name) throws ApiRefusal {
        return instant(name).orElseThrow(() -> ApiRefusal.badParameter(name + ": missing; send an ISO-8601 instant"));
    }

    void json(HttpResponseStatus status, Object body) {
        router.answerJson(this, status, body);
    }

    /** A whole answer of {@code contentType}; ownership of {@code body} moves to the call. */
    void bytes(HttpResponseStatus status, String contentType, ByteBuf body) {
        bytes(status, contentType, body, Map.of());
    }

    /** {@link #bytes(HttpResponseStatus, String, ByteBuf)} with extra response headers. */
    void bytes(HttpResponseStatus status, String contentType, ByteBuf body, Map<String, String> headers) {
        router.answerBytes(this, status, contentType, body, headers);
    }

    /** An answer without a body, such as 204 No Content. */
    void empty(HttpResponseStatus status) {
        router.answerEmpty(this, status);
    }

    void refuse(ApiRefusal refusal) {
        router.answerRefusal(this, refusal);
    }

    /** The endpoint failed after it had begun: a 500, or a closed connection once the answer had begun. */
    void fail(Throwable cause) {
        router.answerFailure(this, cause);
    }

    /**
     * Starts an answer of unknown length with {@code head} (chunked in HTTP/1.1); the endpoint then writes
     * {@code HttpContent}s on the stream's context and ends it with {@link ResponseStream#end()}. On the event loop.
     */
    ResponseStream stream(HttpResponse head) throws ApiRefusal {
        return router.startStreaming(this, head);
    }

    /**
     * {@link #stream} for an endpoint working on a blocking thread: waits until the head is out. Empty when the
     * exchange ended first (the viewer went away) or the answer was refused (an unsupported {@code Expect}).
     */
    Optional<ResponseStream> streamFromWorker(HttpResponse head) throws InterruptedException {
        return router.startStreamingFromWorker(this, head);
    }

    /** What an endpoint does with the whole request body; on the event loop. */
    @FunctionalInterface
    interface BodyHandler {
        void accept(byte[] body) throws ApiRefusal;
    }

    /**
     * Reads the whole request body, at most {@code limit} bytes, then hands it to {@code then} on the event loop; a
     * longer body is refused with 413 {@code body-too-large}. A refusal {@code then} throws becomes the answer. On the
     * event loop, from {@link Endpoint#serve}.
     */
    void readBody(int limit, BodyHandler then) throws ApiRefusal {
        router.startReadingBody(this, limit, then);
    }

    /** Echoes the request body back as it arrives (streaming upload tests). On the event loop. */
    void echo() throws ApiRefusal {
        router.startEcho(this);
    }

    ChannelHandlerContext ctx() {
        return ctx;
    }
}
