package dev.outpost.wire.api;

import java.time.Instant;

/**
 * {@code GET /api/images}: a day/night image a recorder sent.
 *
 * @param slot     the configured local time of day it was taken for ({@code HH:mm})
 * @param at       when it was taken, by the recorder's clock
 * @param imageUrl where the JPEG is ({@code /api/images/{id}.jpg})
 */
public record CameraImageView(String id, String recorderId, String recorderName, String cameraId, String slot,
                              Instant at, int width, int height, long bytes, String imageUrl) {
}
