package dev.outpost.recorder.api;

import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.recording.RecordingIndex;
import dev.outpost.wire.api.RecordingsView;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/cameras/{id}/recordings?from=&to=&stream=}: a stream's recorded ranges and gaps, for a timeline.
 * Answered from the in-memory index, on the event loop.
 */
final class RecordingsEndpoint implements Endpoint {
    /** The window when none is given: the last day. */
    static final Duration DEFAULT_WINDOW = Duration.ofDays(1);
    /** The widest window one request may ask for: a timeline spans a day or a week, not a year. */
    static final Duration MAX_WINDOW = Duration.ofDays(31);

    private final RecorderApi api;

    RecordingsEndpoint(RecorderApi api) {
        this.api = api;
    }

    @Override
    public void serve(ApiCall call) throws ApiRefusal {
        String cameraId = call.param(0);
        StreamKind kind = call.streamKind();
        Instant to = call.instant("to").orElseGet(api.clock()::instant);
        Instant from = call.instant("from").orElse(to.minus(DEFAULT_WINDOW));
        if (!from.isBefore(to)) {
            throw ApiRefusal.badParameter("from: " + from + " is not before to (" + to + ")");
        }
        if (Duration.between(from, to).compareTo(MAX_WINDOW) > 0) {
            throw ApiRefusal.badParameter("to: the window from " + from + " to " + to + " is longer than "
                    + MAX_WINDOW.toDays() + " days; ask for less");
        }
        RecordingIndex index = api.recordingIndex(cameraId, kind).orElseThrow(() -> ApiRoutes.noCamera(cameraId));
        List<RecordingsView.Range> ranges = index.ranges(from, to).stream()
                .map(r -> new RecordingsView.Range(r.start(), r.end(), r.recorded(), r.reason()))
                .toList();
        call.json(HttpResponseStatus.OK, new RecordingsView(cameraId, kind.label(), from, to, ranges));
    }
}
