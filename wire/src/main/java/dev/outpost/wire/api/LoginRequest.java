package dev.outpost.wire.api;

/** {@code POST /api/login} body. */
public record LoginRequest(String email, String password) {
    @Override
    public String toString() {
        return "LoginRequest[email=" + email + "]";
    }
}
