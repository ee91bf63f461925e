package dev.outpost.wire.outbox;

import java.time.Instant;

/**
 * What an exported clip is: the body of a {@code clip-part} outbox item, whose payload is the clip's MP4, fetched
 * in parts of {@link #PART_BYTES} (docs/link.md, "Clips in parts").
 *
 * @param exportId       the export's id on the recorder
 * @param cameraId       the camera
 * @param start          capture time of the first picture
 * @param end            capture time just after the last picture
 * @param durationMillis the clip's playing time (gaps between ranges and recordings closed up)
 * @param width          picture width
 * @param height         picture height
 * @param bytes          the MP4's length
 * @param sha256         the MP4's SHA-256, lowercase hex
 */
public record ClipFacts(String exportId, String cameraId, Instant start, Instant end, long durationMillis, int width,
                        int height, long bytes, String sha256) {
    /** The size of every part but the last. */
    public static final int PART_BYTES = 4 * 1024 * 1024;

    /** How many parts a payload of {@code bytes} has. */
    public static int parts(long bytes) {
        return (int) Math.max(1, (bytes + PART_BYTES - 1) / PART_BYTES);
    }
}
