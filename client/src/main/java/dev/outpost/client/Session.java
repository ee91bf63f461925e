package dev.outpost.client;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A saved login: which cloud, how to trust it, the session token, and who logged in.
 *
 * @param pinnedFingerprint the cloud certificate's SHA-256 fingerprint if it was pinned at login
 * @param expiresAt         when the cloud said the session ends, if it said
 */
public record Session(URI cloud, String token, Optional<String> pinnedFingerprint, String email,
                      Optional<Instant> expiresAt) {
    public Session {
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(pinnedFingerprint, "pinnedFingerprint");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public CloudTrust trust() {
        return CloudTrust.of(pinnedFingerprint);
    }

    /** Whether the cloud's stated end of the session has passed (the cloud has the last word). */
    public boolean expiredAt(Instant now) {
        return expiresAt.map(now::isAfter).orElse(false);
    }

    @Override
    public String toString() {
        return "Session[cloud=" + cloud + ", email=" + email + ", " + trust() + "]"; // never the token
    }
}
