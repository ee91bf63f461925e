package dev.outpost.wire.api;

import java.time.Instant;

/** {@code GET /api/info} on a recorder: who it is, and who asked (from the grant). */
public record RecorderInfo(String recorderId, String name, String software, Instant startedAt, String user) {
}
