package dev.outpost.wire.api;

import java.time.Instant;

/** {@code POST /api/login} answer: an opaque session token (also set as an HttpOnly cookie) and who logged in. */
public record LoginResponse(String token, Instant expiresAt, UserView user) {
    @Override
    public String toString() {
        return "LoginResponse[user=" + user + "]";
    }
}
