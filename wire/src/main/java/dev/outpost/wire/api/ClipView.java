package dev.outpost.wire.api;

import java.time.Instant;

/**
 * A clip in the cloud's library (docs/api.md, "Clip export").
 *
 * @param id             the clip's id in the cloud
 * @param recorderId     the recorder that made it
 * @param cameraId       its camera
 * @param start          capture time of its first picture
 * @param end            capture time just after its last picture
 * @param durationMillis playing time
 * @param width          picture width
 * @param height         picture height
 * @param bytes          the MP4's length
 * @param sha256         the MP4's SHA-256, as the recorder made it
 * @param createdAt      when the recorder made it
 * @param receivedAt     when the cloud stored it
 */
public record ClipView(String id, String recorderId, String cameraId, Instant start, Instant end, long durationMillis,
                       int width, int height, long bytes, String sha256, Instant createdAt, Instant receivedAt) {
}
