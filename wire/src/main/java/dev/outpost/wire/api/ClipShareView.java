package dev.outpost.wire.api;

import java.time.Instant;

/**
 * A link that plays a clip without logging in, until it expires.
 *
 * @param url       the path to give out: {@code /api/shared/{token}/video.mp4}
 * @param token     the secret in it (shown once; the cloud keeps its hash)
 * @param expiresAt when it stops working
 */
public record ClipShareView(String url, String token, Instant expiresAt) {
}
