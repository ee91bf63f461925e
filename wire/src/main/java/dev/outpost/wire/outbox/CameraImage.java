package dev.outpost.wire.outbox;

import java.time.Instant;
import java.util.Objects;

/**
 * The body of a {@link OutboxKind#DAY_NIGHT_IMAGE} item: a camera's picture taken at a configured time of day; the
 * JPEG is the payload.
 *
 * @param cameraId the camera
 * @param at       when the picture was taken (recorder clock)
 * @param slot     the configured local time it was taken for, {@code HH:mm}
 * @param width    the picture's width in pixels
 * @param height   its height
 */
public record CameraImage(String cameraId, Instant at, String slot, int width, int height) {
    public CameraImage {
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(slot, "slot");
    }
}
