package dev.outpost.wire.outbox;

import java.time.Instant;
import java.util.Objects;

/**
 * A recorder's health alert, the body of an {@link OutboxKind#ALERT} item.
 *
 * @param type        one of the constants below
 * @param cameraId    the camera concerned; empty when it is about the whole recorder
 * @param message     what happened, in words for people
 * @param at          when it happened (recorder clock)
 * @param downSeconds for {@link #LINK_RESTORED} and {@link #CAMERA_ONLINE}: how long it was down; for
 *                    {@link #DISK_RECOVERED}: how long the disk failed; else 0
 */
public record HealthAlert(String type, String cameraId, String message, Instant at, long downSeconds) {
    public static final String CAMERA_OFFLINE = "camera-offline";
    public static final String CAMERA_ONLINE = "camera-online";
    public static final String RECORDING_STOPPED = "recording-stopped";
    public static final String DISK_NEARLY_FULL = "disk-nearly-full";
    /** The recordings' disk refuses writes: read-only, I/O errors, failed fsync. */
    public static final String DISK_FAILING = "disk-failing";
    /** The recordings' disk takes writes again after {@link #DISK_FAILING}. */
    public static final String DISK_RECOVERED = "disk-recovered";
    public static final String RECORDER_RESTARTED = "recorder-restarted";
    public static final String LINK_RESTORED = "link-restored";
    /** Every type, for checking what rules name. */
    public static final java.util.List<String> TYPES = java.util.List.of(CAMERA_OFFLINE, CAMERA_ONLINE,
            RECORDING_STOPPED, DISK_NEARLY_FULL, DISK_FAILING, DISK_RECOVERED, RECORDER_RESTARTED, LINK_RESTORED);

    public HealthAlert {
        Objects.requireNonNull(type, "type");
        cameraId = Objects.requireNonNullElse(cameraId, "");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(at, "at");
    }
}
