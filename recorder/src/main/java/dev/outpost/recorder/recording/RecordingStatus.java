package dev.outpost.recorder.recording;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How one camera stream's recording is doing, for the status API and the timeline.
 *
 * @param state           what the recording does now
 * @param since           when it entered that state (recorder wall clock)
 * @param lastError       the latest problem in words a user can act on ("disk full: ...", "cannot create directory
 *                        ...: check that the recording directory is writable"), empty when none happened
 * @param bytes           bytes of this stream's segments on disk (the index's total)
 * @param segments        segments on disk
 * @param droppedPictures pictures dropped because the disk did not keep up (queue full), since start
 */
public record RecordingStatus(State state, Instant since, Optional<String> lastError, long bytes, int segments,
                              long droppedPictures) {
    public enum State {
        /** Waiting for the first keyframe, or between pictures. */
        RECORDING,
        /** Writing, but the disk does not keep up: pictures were dropped to the next keyframe (a gap). */
        FALLING_BEHIND,
        /** Not recording by choice: interrupted camera, or closed. */
        STOPPED,
        /** Cannot write: disk full, directory not writable; retried at the next keyframe. */
        FAILED
    }

    public RecordingStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(lastError, "lastError");
    }
}
