package dev.outpost.cloud;

import java.time.Duration;
import java.util.Optional;

/**
 * A request that cannot be served, with what the API answers: an HTTP status, a stable word for
 * programs and a sentence for people ({@code ApiError}). Thrown by the cloud's services, turned into
 * the answer by the HTTP layer.
 */
public final class ApiFailure extends RuntimeException {
    private final int status;
    private final String error;
    private final Optional<Duration> retryAfter;

    public ApiFailure(int status, String error, String message) {
        this(status, error, message, Optional.empty());
    }

    private ApiFailure(int status, String error, String message, Optional<Duration> retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.retryAfter = retryAfter;
    }

    public static ApiFailure badRequest(String error, String message) {
        return new ApiFailure(400, error, message);
    }

    public static ApiFailure unauthorized(String message) {
        return new ApiFailure(401, "unauthorized", message);
    }

    public static ApiFailure forbidden(String message) {
        return new ApiFailure(403, "forbidden", message);
    }

    public static ApiFailure notFound(String message) {
        return new ApiFailure(404, "not-found", message);
    }

    public static ApiFailure conflict(String error, String message) {
        return new ApiFailure(409, error, message);
    }

    public static ApiFailure gone(String error, String message) {
        return new ApiFailure(410, error, message);
    }

    public static ApiFailure tooManyRequests(String message, Duration retryAfter) {
        return new ApiFailure(429, "slow-down", message, Optional.of(retryAfter));
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
