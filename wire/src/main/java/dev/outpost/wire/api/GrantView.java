package dev.outpost.wire.api;

import java.time.Instant;

/** {@code POST /api/recorders/{id}/grant} answer: a signed grant for LAN, Direct or P2P use. */
public record GrantView(String grant, Instant expiresAt) {
}
