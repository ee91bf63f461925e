package dev.outpost.wire.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /api/cameras} on a recorder: each camera, its settings without secrets, and how its two streams are
 * doing. Also the answer of adding and changing a camera.
 *
 * @param settings empty for a sample camera, which has none and cannot be changed
 */
public record CameraView(String id, String name, Optional<Settings> settings, List<Stream> streams) {
    public CameraView {
        settings = Objects.requireNonNullElse(settings, Optional.empty());
        streams = List.copyOf(streams);
    }

    /** A camera with no settings to show (a sample camera). */
    public CameraView(String id, String name, List<Stream> streams) {
        this(id, name, Optional.empty(), streams);
    }

    /**
     * A camera's settings as the API shows them: never its password, and URLs without user info.
     *
     * @param mainUrl     the main (HD) stream's URL, without user and password
     * @param subUrl      the sub (SD) stream's
     * @param username    the camera account's user, empty for none
     * @param hasPassword whether a password is set
     * @param transport   {@code auto}, {@code tcp} or {@code udp}
     */
    public record Settings(String mainUrl, String subUrl, String username, boolean hasPassword, String transport) {
    }

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
