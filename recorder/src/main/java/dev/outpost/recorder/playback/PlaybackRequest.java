package dev.outpost.recorder.playback;

import dev.outpost.recorder.cameras.StreamKind;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a viewer asked to play back.
 *
 * @param cameraId the camera
 * @param kind     which of its streams
 * @param start    play from the keyframe at or before this capture time
 * @param end      stop before the first picture captured at or after this; empty: play what is recorded
 * @param speed    how much faster than real time the stream plays: its media time runs {@code 1/speed} as fast as
 *                 the capture clock
 */
public record PlaybackRequest(String cameraId, StreamKind kind, Instant start, Optional<Instant> end, double speed) {
    public static final double MIN_SPEED = 0.25;
    public static final double MAX_SPEED = 16;
    /** From this speed on only keyframes are sent: decoding every picture at 4x is more than a viewer needs. */
    public static final double KEYFRAMES_ONLY_FROM = 4;

    public PlaybackRequest {
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isPresent() && !end.get().isAfter(start)) {
            throw new IllegalArgumentException("end: " + end.get() + " is not after start " + start);
        }
        if (!(speed >= MIN_SPEED && speed <= MAX_SPEED)) {
            throw new IllegalArgumentException("speed: " + speed + " is not between " + MIN_SPEED + " and " + MAX_SPEED);
        }
    }

    public boolean keyframesOnly() {
        return speed >= KEYFRAMES_ONLY_FROM;
    }
}
