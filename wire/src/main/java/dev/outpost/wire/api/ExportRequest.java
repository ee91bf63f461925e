package dev.outpost.wire.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A clip export asked of a recorder (docs/api.md, "Clip export"): one camera, one or more time ranges adding up to
 * at most {@link #MAX_TOTAL}, at 2MP (the default) or 4MP.
 *
 * @param cameraId the camera
 * @param ranges   capture-time ranges, in order, not overlapping
 * @param quality  {@code 2mp} (empty means this) or {@code 4mp}: the largest picture the clip may have; never
 *                 larger than the recording
 */
public record ExportRequest(String cameraId, List<Range> ranges, String quality) {
    /** The longest a clip may be, all its ranges together. */
    public static final Duration MAX_TOTAL = Duration.ofMinutes(20);
    /** The most ranges one clip may join. */
    public static final int MAX_RANGES = 16;
    public static final String TWO_MP = "2mp";
    public static final String FOUR_MP = "4mp";

    /** From {@code start} (inclusive) to {@code end} (exclusive), capture time. */
    public record Range(Instant start, Instant end) {
        public Duration length() {
            return Duration.between(start, end);
        }
    }

    public ExportRequest {
        ranges = ranges == null ? List.of() : List.copyOf(new ArrayList<>(ranges));
        quality = quality == null || quality.isBlank() ? TWO_MP : quality;
    }

    /** What is wrong with the request, naming the field; empty when it may be exported. */
    public Optional<String> problem() {
        if (cameraId == null || !cameraId.matches("[A-Za-z0-9_-]{1,64}")) {
            return Optional.of("cameraId: missing or not a camera id");
        }
        if (!quality.equals(TWO_MP) && !quality.equals(FOUR_MP)) {
            return Optional.of("quality: '" + quality + "' is neither " + TWO_MP + " nor " + FOUR_MP);
        }
        if (ranges.isEmpty()) {
            return Optional.of("ranges: at least one {start, end} is needed");
        }
        if (ranges.size() > MAX_RANGES) {
            return Optional.of("ranges: " + ranges.size() + " ranges; a clip joins at most " + MAX_RANGES);
        }
        Duration total = Duration.ZERO;
        Instant previousEnd = Instant.MIN;
        for (int i = 0; i < ranges.size(); i++) {
            Range range = ranges.get(i);
            if (range == null || range.start() == null || range.end() == null) {
                return Optional.of("ranges[" + i + "]: needs a start and an end");
            }
            if (!range.end().isAfter(range.start())) {
                return Optional.of("ranges[" + i + "]: end " + range.end() + " is not after start " + range.start());
            }
            if (range.start().isBefore(previousEnd)) {
                return Optional.of("ranges[" + i + "]: starts before the range before it ends; give ranges in order,"
                        + " not overlapping");
            }
            previousEnd = range.end();
            total = total.plus(range.length());
        }
        if (total.compareTo(MAX_TOTAL) > 0) {
            return Optional.of("ranges: " + total.toSeconds() + " s in all; a clip is at most "
                    + MAX_TOTAL.toMinutes() + " minutes: split it into several exports");
        }
        return Optional.empty();
    }

    /** All ranges together. */
    public Duration total() {
        return ranges.stream().map(Range::length).reduce(Duration.ZERO, Duration::plus);
    }
}
