package dev.outpost.recorder.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.recorder.cameras.StreamKind;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingsTest {
    @TempDir
    Path root;

    @Test
    void everyStreamOfEveryCameraRecordsAndReportsItsStatus() {
        try (Recordings recordings = Recordings.open(root, RecordingSink.Settings.DEFAULTS,
                new Retention.Limits(1L << 40, Duration.ofDays(30)), Clock.systemUTC())) {
            for (String camera : new String[] {"front", "back"}) {
                for (StreamKind kind : StreamKind.values()) {
                    RecordingSink sink = recordings.sink(camera, kind);
                    assertThat(recordings.sink(camera, kind)).isSameAs(sink);
                    sink.onFormat(TestVideo.FORMAT);
                    for (int i = 0; i < 45; i++) {
                        sink.onAccessUnit(TestVideo.picture(i, 30));
                    }
                }
            }
            await().until(() -> recordings.statuses().values().stream()
                    .allMatch(s -> s.segments() == 1 && s.bytes() > 6000));
            assertThat(recordings.statuses().keySet()).extracting(Recordings.StreamKey::toString)
                    .containsExactly("back/hd", "back/sd", "front/hd", "front/sd");
            assertThat(recordings.statuses().values()).allSatisfy(s -> {
                assertThat(s.state()).isEqualTo(RecordingStatus.State.RECORDING);
                assertThat(s.bytes()).isPositive();
            });
            assertThat(recordings.retention().totalBytes())
                    .isEqualTo(recordings.statuses().values().stream().mapToLong(RecordingStatus::bytes).sum());
            assertThat(recordings.index("front", StreamKind.SUB)).isPresent();
            assertThat(recordings.index("side", StreamKind.SUB)).isEmpty();

            recordings.remove("back", StreamKind.MAIN);
            assertThat(recordings.statuses()).hasSize(3);
            assertThat(root.resolve("back/hd")).isDirectory();
        }
    }
}
