package dev.outpost.recorder.api;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.live.GopCache;
import dev.outpost.recorder.live.LiveHub;
import dev.outpost.recorder.playback.RecordedPictures;
import dev.outpost.recorder.recording.RecordingIndex;
import dev.outpost.recorder.snapshot.Snapshot;
import dev.outpost.recorder.snapshot.SnapshotEncoder;
import dev.outpost.recorder.snapshot.SnapshotException;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/cameras/{id}/snapshot.jpg?at=&stream=&width=}: a JPEG of the camera's latest picture (no
 * {@code at}) from the live GOP cache, or of the picture recorded at {@code at}. Decoding runs on a virtual thread;
 * since FFmpeg holds its carrier while it decodes, at most one snapshot per core is made at once and the others get
 * 503 with {@code Retry-After}.
 */
final class SnapshotEndpoint implements Endpoint {
    /** The capture time of the picture in the JPEG. */
    static final String CAPTURE_HEADER = "X-Outpost-Capture-Time";

    private static final Logger log = LoggerFactory.getLogger(SnapshotEndpoint.class);

    private final RecorderApi api;
    private final Semaphore decoders = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));

    SnapshotEndpoint(RecorderApi api) {
        this.api = api;
    }

    @Override
    public void serve(ApiCall call) throws ApiRefusal {
        String cameraId = call.param(0);
        StreamKind kind = call.streamKind();
        Optional<Instant> at = call.instant("at");
        OptionalInt width = width(call);
        LiveHub hub = api.live().find(cameraId, kind).orElse(null);
        Optional<RecordingIndex> index = api.recordingIndex(cameraId, kind);
        if (hub == null && index.isEmpty()) {
            throw ApiRoutes.noCamera(cameraId);
        }
        if (at.isPresent() && index.isEmpty()) {
            throw new ApiRefusal(404, "not-recorded", cameraId + "/" + kind.label() + " is not recorded");
        }
        if (!decoders.tryAcquire()) {
            throw new ApiRefusal(503, "busy", "the recorder is making as many snapshots as it has cores; try again",
                    Map.of("Retry-After", "1"));
        }
        try {
            api.blocking().execute(() -> {
                try {
                    snapshot(call, cameraId, kind, at, width, hub, index);
                } finally {
                    decoders.release();
                }
            });
        } catch (RuntimeException rejected) {
            decoders.release();
            throw rejected;
        }
    }

    private static OptionalInt width(ApiCall call) throws ApiRefusal {
        Optional<String> text = call.query("width");
        if (text.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            int width = Integer.parseInt(text.get());
            if (width >= 16 && width <= SnapshotEncoder.MAX_SIDE) {
                return OptionalInt.of(width);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiRefusal.badParameter("width: '" + text.get() + "' is not a width from 16 to "
                + SnapshotEncoder.MAX_SIDE + " pixels");
    }

    /** On a virtual thread. */
    private static void snapshot(ApiCall call, String cameraId, StreamKind kind, Optional<Instant> at,
                                 OptionalInt width, LiveHub hub, Optional<RecordingIndex> index) {
        String stream = cameraId + "/" + kind.label();
        try {
            StreamFormat format;
            List<AccessUnit> pictures;
            if (at.isEmpty()) {
                GopCache.Snapshot gop = hub == null ? null : hub.latestGop();
                if (gop == null || gop.format().isEmpty() || gop.pictures().isEmpty()) {
                    call.refuse(new ApiRefusal(503, "no-picture", stream + " has no live picture yet: the camera may"
                            + " be offline (see GET /api/cameras) or just starting", Map.of("Retry-After", "2")));
                    return;
                }
                format = gop.format().get();
                pictures = gop.pictures();
            } else {
                Optional<RecordedPictures.Run> run = RecordedPictures.at(index.orElseThrow(), cameraId, kind, at.get());
                if (run.isEmpty()) {
                    call.refuse(new ApiRefusal(404, "not-recorded", "nothing of " + stream + " is recorded at "
                            + at.get() + "; ask GET .../recordings for what is"));
                    return;
                }
                format = run.get().format();
                pictures = run.get().pictures();
            }
            Snapshot jpeg = width.isPresent() ? SnapshotEncoder.encode(format, pictures, width.getAsInt())
                    : SnapshotEncoder.encode(format, pictures);
            call.bytes(HttpResponseStatus.OK, "image/jpeg", Unpooled.wrappedBuffer(jpeg.jpeg()),
                    Map.of(CAPTURE_HEADER, Instant.EPOCH.plus(jpeg.captureMicros(), ChronoUnit.MICROS).toString()));
        } catch (SnapshotException | IOException e) {
            log.warn("{}: snapshot failed: {}", stream, e.getMessage());
            call.refuse(new ApiRefusal(500, "snapshot-failed", "the snapshot could not be made: " + e.getMessage()));
        } catch (RuntimeException e) {
            call.fail(e);
        }
    }
}
