package dev.outpost.wire.api;

/**
 * {@code GET /api/recorders/{id}/sessions}: how many viewing sessions of the recorder used each path since this
 * cloud node started, as viewers reported them ({@code POST} the same with a {@link PathUsed}). A stream that
 * started on the relay and moved to P2P counts once for each.
 */
public record PathSessionsView(long lan, long direct, long relay, long p2p) {
}
