package dev.outpost.wire.api;

import java.time.Instant;

/**
 * {@code GET /api/alerts}: one health alert a recorder sent.
 *
 * @param id           the alert's id in the cloud
 * @param type         {@code camera-offline}, {@code camera-online}, {@code recording-stopped},
 *                     {@code disk-nearly-full}, {@code disk-failing}, {@code disk-recovered},
 *                     {@code recorder-restarted}, {@code link-restored}
 * @param cameraId     the camera concerned, empty for the whole recorder
 * @param at           when it happened, by the recorder's clock
 * @param receivedAt   when the cloud stored it (later than {@code at} after an outage)
 * @param downSeconds  for {@code link-restored}, {@code camera-online} and {@code disk-recovered}: how long it was down
 * @param imageUrl     the alert's image ({@code /api/alerts/{id}/image.jpg}), empty without one
 */
public record AlertView(String id, String recorderId, String recorderName, String type, String cameraId,
                        String message, Instant at, Instant receivedAt, long downSeconds, String imageUrl) {
}
