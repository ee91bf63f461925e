package dev.outpost.wire.api;

import dev.outpost.wire.outbox.ClipFacts;
import java.time.Instant;
import java.util.List;

/**
 * A clip export as the recorder reports it (docs/api.md, "Clip export").
 *
 * @param id         the export's id on the recorder
 * @param cameraId   the camera
 * @param ranges     what was asked
 * @param quality    {@code 2mp} or {@code 4mp}
 * @param state      {@code queued}, {@code encoding}, {@code uploading}, {@code done} or {@code failed}
 * @param percent    progress of the state, 0 to 100 ({@code encoding}: recorded time encoded; {@code uploading}:
 *                   parts the cloud has taken)
 * @param message    why it failed; empty otherwise
 * @param createdAt  when it was asked
 * @param clip       the clip once encoded; null before
 */
public record ExportView(String id, String cameraId, List<ExportRequest.Range> ranges, String quality, String state,
                         int percent, String message, Instant createdAt, ClipFacts clip) {
    public static final String QUEUED = "queued";
    public static final String ENCODING = "encoding";
    public static final String UPLOADING = "uploading";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
}
