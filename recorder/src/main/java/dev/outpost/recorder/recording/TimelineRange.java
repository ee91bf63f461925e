package dev.outpost.recorder.recording;

import java.time.Instant;
import java.util.Objects;

/**
 * A stretch of a stream's timeline: recorded video, or a gap with its reason ("camera offline: ...", "recorder down",
 * "recorder falling behind: ...", "not recorded").
 *
 * @param start  inclusive
 * @param end    exclusive
 * @param recorded whether video exists for it
 * @param reason why there is no video; empty for a recorded range
 */
public record TimelineRange(Instant start, Instant end, boolean recorded, String reason) {
    public TimelineRange {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(reason, "reason");
    }

    static TimelineRange recorded(Instant start, Instant end) {
        return new TimelineRange(start, end, true, "");
    }

    static TimelineRange gap(Instant start, Instant end, String reason) {
        return new TimelineRange(start, end, false, reason);
    }
}
