package dev.outpost.wire.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /api/usage} on a recorder: the bytes it sent the cloud per category, per day and over the last 30 days,
 * like the table of the reference page's "Recorder Data Usage". Categories: {@code baseline} (the link itself:
 * handshakes, heartbeats, the outbox's polls), {@code config-backups}, {@code alerts}, {@code alert-images},
 * {@code day-night-images}, {@code exports}.
 *
 * @param days       the days with traffic, newest first, at most 31
 * @param last30Days the sum per category over the last 30 days
 */
public record DataUsageView(List<Day> days, Map<String, Long> last30Days) {
    public DataUsageView {
        days = List.copyOf(days);
        last30Days = Map.copyOf(Objects.requireNonNullElse(last30Days, Map.of()));
    }

    /** @param date a UTC date, {@code 2026-11-23} */
    public record Day(String date, Map<String, Long> bytes) {
        public Day {
            bytes = Map.copyOf(bytes);
        }
    }
}
