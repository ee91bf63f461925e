package dev.outpost.recorder.exports;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.recording.RecordingIndex;
import dev.outpost.recorder.recording.RecordingSink;
import dev.outpost.recorder.recording.Recordings;
import dev.outpost.recorder.recording.Retention;
import dev.outpost.recorder.recording.TestVideo;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntPredicate;

/** A real video recorded as camera "cam"'s main stream, for export tests. */
public final class TestRecording {
    private TestRecording() {
    }

    /** Records {@code video} under {@code root}, leaving out the pictures {@code skipped} says; written once returned. */
    public static RecordingIndex record(Path root, TestVideo.Real video, IntPredicate skipped) {
        Recordings recordings = Recordings.open(root.resolve("recordings"), RecordingSink.Settings.DEFAULTS,
                new Retention.Limits(Long.MAX_VALUE, Duration.ofDays(3650)), Clock.systemUTC());
        RecordingSink sink = recordings.sink("cam", StreamKind.MAIN);
        sink.onFormat(video.format());
        List<AccessUnit> units = video.units();
        for (int i = 0; i < units.size(); i++) {
            if (!skipped.test(i)) {
                sink.onAccessUnit(units.get(i));
            }
        }
        RecordingIndex index = recordings.index("cam", StreamKind.MAIN).orElseThrow();
        recordings.close();
        return index;
    }

    /** The capture time of picture {@code picture} of a {@link TestVideo}. */
    public static Instant at(int picture) {
        long micros = TestVideo.captureMicros(picture);
        return Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1000);
    }
}
