package dev.outpost.recorder.api;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.Map;

/**
 * A request the router answers with an error instead of serving it: the HTTP status, the stable word
 * of the {@code ApiError} body and a sentence for people, plus any headers the status needs.
 */
final class ApiRefusal extends Exception {
    private final int status;
    private final String error;
    private final Map<String, String> headers;

    ApiRefusal(int status, String error, String message) {
        this(status, error, message, Map.of());
    }

    ApiRefusal(int status, String error, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.headers = Map.copyOf(headers);
    }

    static ApiRefusal badParameter(String message) {
        return new ApiRefusal(400, "bad-parameter", message);
    }

    static ApiRefusal notFound(String path) {
        return new ApiRefusal(404, "not-found", "no such path on this recorder: " + path);
    }

    static ApiRefusal methodNotAllowed(String method, String path, String allowed) {
        return new ApiRefusal(405, "method-not-allowed", method + " is not allowed on " + path + ", use " + allowed,
                Map.of("Allow", allowed));
    }

    int status() {
        return status;
    }

    String error() {
        return error;
    }

    Map<String, String> headers() {
        return headers;
    }

    /** The answer to a request the HTTP codec could not decode. */
    static ApiRefusal ofDecoderFailure(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return new ApiRefusal(414, "uri-too-long", "the request line is too long: shorten the URI");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new ApiRefusal(431, "headers-too-large", "the request headers are too large: send fewer or shorter ones");
        }
        return new ApiRefusal(400, "bad-request", "malformed HTTP request: " + cause.getMessage());
    }
}
