package dev.outpost.client;

import dev.outpost.wire.api.ApiError;
import dev.outpost.wire.json.Json;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The cloud (or, through the relay, a recorder) answered with an error: the HTTP status and the
 * {@link ApiError} from the body, and a message that says what went wrong and, where it can, what to
 * do about it.
 */
public final class OutpostException extends RuntimeException {
    private final String method;
    private final URI uri;
    private final int status;
    private final ApiError error;
    private final Optional<Duration> retryAfter;

    public OutpostException(String method, URI uri, int status, ApiError error, Optional<Duration> retryAfter) {
        super(describe(method, uri, status, error, retryAfter), null, false, false);
        this.method = method;
        this.uri = uri;
        this.status = status;
        this.error = error;
        this.retryAfter = retryAfter;
    }

    /**
     * Reads an error answer. A body that is not an {@code ApiError} (a proxy's HTML page, an empty
     * 502) still gives a usable error: {@code http-STATUS} and the start of the body as the message.
     */
    static OutpostException fromAnswer(String method, URI uri, int status, HttpHeaders headers, byte[] body) {
        return new OutpostException(method, uri, status, parseError(status, body), retryAfter(headers));
    }

    /** The answer was 2xx but not what the API promises: a different server, or a version mismatch. */
    static OutpostException badAnswer(String method, URI uri, int status, String what) {
        return new OutpostException(method, uri, status, new ApiError("bad-answer",
                "the answer is not " + what + "; is this URL an Outpost cloud of a matching version?"),
                Optional.empty());
    }

    public String method() {
        return method;
    }

    public URI uri() {
        return uri;
    }

    /** The HTTP status, e.g. 401, 404, 502. */
    public int status() {
        return status;
    }

    /** The stable word ({@code bad-login}, {@code recorder-offline}, ...) and the server's sentence. */
    public ApiError error() {
        return error;
    }

    /** For 429 {@code slow-down} and 503: how long the server asked us to wait. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    private static ApiError parseError(int status, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            try {
                ApiError parsed = Json.read(body, ApiError.class);
                if (parsed.error() != null || parsed.message() != null) {
                    return new ApiError(parsed.error() == null ? "http-" + status : parsed.error(),
                            parsed.message() == null ? reason(status) : parsed.message());
                }
            } catch (RuntimeException e) {
                // not an ApiError after all: fall through to the text
            }
        }
        String firstLine = text.lines().findFirst().orElse("");
        if (firstLine.length() > 200) {
            firstLine = firstLine.substring(0, 200) + "...";
        }
        return new ApiError("http-" + status, firstLine.isEmpty() || firstLine.startsWith("<") ? reason(status) : firstLine);
    }

    private static Optional<Duration> retryAfter(HttpHeaders headers) {
        return headers.firstValue("Retry-After").flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value.strip())));
            } catch (NumberFormatException e) {
                return Optional.empty(); // an HTTP date: rare enough to ignore
            }
        });
    }

    private static String describe(String method, URI uri, int status, ApiError error, Optional<Duration> retryAfter) {
        StringBuilder text = new StringBuilder()
                .append(error.message())
                .append(" (").append(method).append(' ').append(uri.getRawPath())
                .append(": ").append(status).append(' ').append(error.error()).append(')');
        hint(status, error.error(), retryAfter).ifPresent(hint -> text.append("; ").append(hint));
        return text.toString();
    }

    private static Optional<String> hint(int status, String error, Optional<Duration> retryAfter) {
        return switch (status) {
            case 401 -> error.startsWith("grant-")
                    ? Optional.of("the recorder refused the cloud's grant: check that the recorder's clock is right")
                    : error.equals("bad-login")
                        ? Optional.empty()
                        : Optional.of("the session has expired or was ended: log in again");
            case 403 -> Optional.of("your role does not allow this: ask an admin of your organization");
            case 429, 503 -> Optional.of(retryAfter.map(d -> "try again in " + d.toSeconds() + " s").orElse("try again later"));
            default -> Optional.empty();
        };
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 401 -> "not authenticated";
            case 403 -> "forbidden";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 409 -> "conflict";
            case 410 -> "gone";
            case 413 -> "request too large";
            case 429 -> "too many requests";
            case 500 -> "the server failed";
            case 502 -> "bad gateway";
            case 503 -> "service unavailable";
            case 504 -> "gateway timeout: the recorder did not answer in time";
            default -> "HTTP " + status;
        };
    }
}
