package dev.outpost.cloud.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.Optional;

/** Where a request carries its session: {@code Authorization: Bearer}, else the session cookie. */
public final class SessionTokens {
    public static final String COOKIE = "outpost_session";
    private static final int MAX_TOKEN_CHARS = 256;

    private SessionTokens() {
    }

    public static Optional<String> from(HttpHeaders headers) {
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return bounded(authorization.substring(7).trim());
        }
        String cookies = headers.get(HttpHeaderNames.COOKIE);
        if (cookies != null) {
            for (Cookie cookie : ServerCookieDecoder.STRICT.decode(cookies)) {
                if (COOKIE.equals(cookie.name())) {
                    return bounded(cookie.value());
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> bounded(String token) {
        return token.isEmpty() || token.length() > MAX_TOKEN_CHARS ? Optional.empty() : Optional.of(token);
    }
}
