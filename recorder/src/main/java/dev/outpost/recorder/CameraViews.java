package dev.outpost.recorder;

import dev.outpost.recorder.cameras.CameraStatus;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.recording.RecordingStatus;
import dev.outpost.recorder.recording.Recordings;
import dev.outpost.wire.api.CameraView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Builds what {@code GET /api/cameras} shows: every camera's streams, live and recording state. */
final class CameraViews implements Supplier<List<CameraView>> {
    /** A camera as this view needs it: id, name and its streams' statuses. */
    record Source(String id, String name, Supplier<Map<StreamKind, CameraStatus>> status) {
    }

    private final List<Source> sources;
    private final Recordings recordings;

    CameraViews(List<Source> sources, Recordings recordings) {
        this.sources = List.copyOf(sources);
        this.recordings = recordings;
    }

    @Override
    public List<CameraView> get() {
        Map<Recordings.StreamKey, RecordingStatus> recorded = recordings.statuses();
        List<CameraView> views = new ArrayList<>();
        for (Source source : sources) {
            List<CameraView.Stream> streams = new ArrayList<>();
            source.status().get().forEach((kind, status) -> {
                RecordingStatus recording = recorded.get(new Recordings.StreamKey(source.id(), kind));
                streams.add(new CameraView.Stream(kind.label(), status.state().name(), status.since(),
                        status.lastError().orElse(""),
                        status.resolution().map(CameraStatus.Resolution::width).orElse(0),
                        status.resolution().map(CameraStatus.Resolution::height).orElse(0),
                        Math.round(status.framesPerSecond() * 10) / 10.0, status.bitsPerSecond(), status.packetsLost(),
                        recording == null ? "" : recording.state().name(),
                        recording == null ? "" : recording.lastError().orElse("")));
            });
            views.add(new CameraView(source.id(), source.name(), List.copyOf(streams)));
        }
        return List.copyOf(views);
    }
}
