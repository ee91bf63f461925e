package dev.outpost.wire.api;

import java.time.Instant;
import java.util.List;

/** {@code GET /api/cameras} on a recorder: each camera and how its two streams are doing. */
public record CameraView(String id, String name, List<Stream> streams) {

    /**
     * One stream of a camera.
     *
     * @param stream          {@code hd} (main) or {@code sd} (sub)
     * @param state           {@code CONNECTING}, {@code STREAMING}, {@code RETRYING}, {@code FAILED} or {@code CLOSED}
     * @param lastError       the last failure in plain words, empty if none
     * @param recording       {@code RECORDING}, {@code FALLING_BEHIND}, {@code STOPPED} or {@code FAILED}; empty if not recorded
     * @param recordingError  why recording last failed, empty if never
     */
    public record Stream(String stream, String state, Instant since, String lastError, int width, int height,
                         double framesPerSecond, long bitsPerSecond, long packetsLost, String recording,
                         String recordingError) {
    }
}
