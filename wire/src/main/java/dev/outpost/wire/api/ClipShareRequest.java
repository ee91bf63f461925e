package dev.outpost.wire.api;

/** {@code POST /api/clips/{id}/shares}: how long the link works, 1 to 10080 minutes (a week); 0 or absent: a day. */
public record ClipShareRequest(int minutes) {
}
