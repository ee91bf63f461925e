package dev.outpost.cloud.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/** A handler's answer: a status, a body to write as JSON (or none), and extra headers. */
public record ApiReply(HttpResponseStatus status, Object body, Map<String, String> headers) {
    public static ApiReply ok(Object body) {
        return new ApiReply(HttpResponseStatus.OK, body, Map.of());
    }

    public static ApiReply created(Object body) {
        return new ApiReply(HttpResponseStatus.CREATED, body, Map.of());
    }

    /** A body that is not JSON: the bytes as they are, of {@code contentType}. */
    public record Bytes(String contentType, byte[] bytes) {
    }

    public static ApiReply bytes(String contentType, byte[] bytes) {
        return new ApiReply(HttpResponseStatus.OK, new Bytes(contentType, bytes), Map.of());
    }

    /** Reads {@code length} bytes of a body from {@code offset}; blocking, on the exchange's virtual thread. */
    @FunctionalInterface
    public interface BodyReader {
        byte[] read(long offset, int length) throws java.io.IOException;
    }

    /**
     * A body too large to hold (a clip): {@code length} bytes read by {@code reader} in chunks and written as the
     * connection takes them, so a slow viewer holds back the reading, not memory.
     */
    public record Streamed(String contentType, long length, BodyReader reader) {
    }

    public static ApiReply noContent() {
        return new ApiReply(HttpResponseStatus.NO_CONTENT, null, Map.of());
    }

    public ApiReply withStatus(HttpResponseStatus other) {
        return new ApiReply(other, body, headers);
    }

    public ApiReply withHeader(String name, String value) {
        var all = new java.util.LinkedHashMap<>(headers);
        all.put(name, value);
        return new ApiReply(status, body, Map.copyOf(all));
    }
}
