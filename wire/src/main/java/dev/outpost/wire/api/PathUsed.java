package dev.outpost.wire.api;

/**
 * {@code POST /api/recorders/{id}/sessions}: a viewer's stream now uses this path.
 *
 * @param kind {@code lan}, {@code direct}, {@code relay} or {@code p2p}
 */
public record PathUsed(String kind) {
}
