package dev.outpost.recorder.recording;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * One segment file of a stream's recording: an init segment and ~1 s fragments, starting on a keyframe.
 *
 * @param file  {@code DIR/{cameraId}/{hd|sd}/{yyyy-MM-dd}/{startMillis}.mp4}
 * @param start capture wall clock of its first picture (its first {@code prft})
 * @param end   capture wall clock where its last complete fragment ends
 * @param bytes the file's size up to its last complete fragment
 */
public record Segment(Path file, Instant start, Instant end, long bytes) {
    public Segment {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("segment " + file + " ends at " + end + ", before its start " + start);
        }
    }

    /** Whether {@code at} falls in {@code [start, end)}. */
    public boolean covers(Instant at) {
        return !at.isBefore(start) && at.isBefore(end);
    }
}
