package dev.outpost.wire.api;

import java.time.Instant;

/**
 * The web client's sign-in for a recorder's own port (docs/web.md, "On the recorder's LAN port"):
 * {@code POST /api/recorders/{id}/local-sign-in} with a {@link Request}, answered by a {@link Granted}.
 */
public final class LocalSignIn {
    private LocalSignIn() {
    }

    /** @param returnTo the recorder's local address the user came from, {@code https://HOST:PORT/} */
    public record Request(String returnTo) {
    }

    /**
     * @param recorderId the recorder the grant is for
     * @param grant      a grant for that recorder, for {@code Authorization: Bearer} on its own port
     * @param expiresAt  when the recorder stops accepting it
     * @param returnTo   where to send the user back to, as checked
     */
    public record Granted(String recorderId, String grant, Instant expiresAt, String returnTo) {
    }
}
