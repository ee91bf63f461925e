package dev.outpost.recorder;

import dev.outpost.recorder.cameras.Camera;
import dev.outpost.recorder.cameras.CameraConfig;
import dev.outpost.recorder.cameras.CameraSet;
import dev.outpost.recorder.cameras.CameraStatus;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.recording.RecordingStatus;
import dev.outpost.recorder.recording.Recordings;
import dev.outpost.wire.api.CameraView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds what {@code GET /api/cameras} shows: every camera's settings (without secrets), its streams, live and
 * recording state. Cameras are read from the {@link CameraSet} at each call, so added and removed ones show at once.
 */
final class CameraViews implements Supplier<List<CameraView>> {
    /** A camera as this view needs it: id, name, settings if it has any, and its streams' statuses. */
    record Source(String id, String name, Optional<CameraView.Settings> settings,
                  Supplier<Map<StreamKind, CameraStatus>> status) {
        static Source of(Camera camera) {
            return new Source(camera.id(), camera.name(), Optional.of(CameraViews.settings(camera.config())),
                    camera::status);
        }
    }

    private final CameraSet cameras;
    private final List<Source> samples;
    private final Recordings recordings;

    /** @param samples the sample cameras, listed after the real ones */
    CameraViews(CameraSet cameras, List<Source> samples, Recordings recordings) {
        this.cameras = cameras;
        this.samples = List.copyOf(samples);
        this.recordings = recordings;
    }

    @Override
    public List<CameraView> get() {
        Map<Recordings.StreamKey, RecordingStatus> recorded = recordings.statuses();
        List<CameraView> views = new ArrayList<>();
        cameras.cameras().forEach(camera -> views.add(view(Source.of(camera), recorded)));
        samples.forEach(sample -> views.add(view(sample, recorded)));
        return List.copyOf(views);
    }

    /** One camera's view, as adding or changing it answers. */
    CameraView view(Camera camera) {
        return view(Source.of(camera), recordings.statuses());
    }

    /** What may be shown of a camera's settings: URLs without user info, the user, whether a password is set. */
    static CameraView.Settings settings(CameraConfig config) {
        Optional<CameraConfig.Credentials> credentials = config.credentials();
        return new CameraView.Settings(config.bareUrl(StreamKind.MAIN).toString(),
                config.bareUrl(StreamKind.SUB).toString(),
                credentials.map(CameraConfig.Credentials::username).orElse(""),
                credentials.map(c -> !c.password().isEmpty()).orElse(false), config.transport().label());
    }

    private static CameraView view(Source source, Map<Recordings.StreamKey, RecordingStatus> recorded) {
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
        return new CameraView(source.id(), source.name(), source.settings(), List.copyOf(streams));
    }
}
