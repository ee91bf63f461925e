package dev.outpost.wire.api;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/cameras/{id}/recordings} on a recorder: a stream's timeline between two times, for a search
 * timeline. The ranges cover {@code [from, to)} without holes, in order.
 *
 * @param camera the camera id
 * @param stream {@code hd} or {@code sd}
 */
public record RecordingsView(String camera, String stream, Instant from, Instant to, List<Range> ranges) {

    /**
     * Recorded video, or a gap.
     *
     * @param start    inclusive
     * @param end      exclusive
     * @param recorded whether there is video to play back
     * @param reason   why there is none ("camera offline: ...", "recorder down", "not recorded", "being recorded");
     *                 empty for a recorded range
     */
    public record Range(Instant start, Instant end, boolean recorded, String reason) {
    }
}
