package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.cameras.CameraConfig;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.recording.RecordingIndex;
import dev.outpost.testkit.Ffmpeg;
import dev.outpost.testkit.RtspCamera;
import dev.outpost.wire.api.CameraView;
import dev.outpost.wire.api.RecordingsView;
import dev.outpost.wire.json.Json;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real RTSP camera (GStreamer, Digest auth) killed in the middle of recording and started again: its status says
 * it is offline, its timeline shows the gap with the reason, the other camera records on undisturbed, and once it is
 * back it records again and playback across the gap decodes.
 */
class CameraOutageTest {
    @Test
    void aCameraKilledMidRecordingLeavesAGapOthersRecordOnAndItResumes(@TempDir Path dir) throws Exception {
        try (RtspCamera dying = RtspCamera.builder().digestAuth("admin", "pw one").start();
             RtspCamera steady = RtspCamera.builder().digestAuth("admin", "pw two").start();
             Site site = Site.start(dir)) {
            Recorder recorder = site.recorder("Yard", c -> c.withCameras(List.of(
                    new CameraConfig("dying", "Dying", dying.url(RtspCamera.MAIN), dying.url(RtspCamera.SUB)),
                    new CameraConfig("steady", "Steady", steady.url(RtspCamera.MAIN), steady.url(RtspCamera.SUB)))));
            String id = recorder.identity().recorderId();
            OutpostClient viewer = site.admin();
            Instant began = Instant.now();
            await("both cameras recorded for 3 s").atMost(Duration.ofSeconds(60))
                    .until(() -> recordedMillis(recorder, "dying") >= 3000 && recordedMillis(recorder, "steady") >= 3000);

            dying.stop();
            await("the camera's status says it is gone").atMost(Duration.ofSeconds(30))
                    .until(() -> state(viewer, id, "dying").matches("RETRYING|FAILED|CONNECTING"));
            long steadyBefore = recordedMillis(recorder, "steady");
            await("the other camera records on").atMost(Duration.ofSeconds(30))
                    .until(() -> recordedMillis(recorder, "steady") >= steadyBefore + 3000);

            dying.restart();
            await("the camera is back and recording").atMost(Duration.ofSeconds(60))
                    .until(() -> state(viewer, id, "dying").equals("STREAMING")
                            && timeline(viewer, id, began).ranges().stream().filter(RecordingsView.Range::recorded)
                            .count() >= 2);
            RecordingsView afterOutage = await("a second recorded range of 2 s").atMost(Duration.ofSeconds(30))
                    .until(() -> timeline(viewer, id, began), view -> {
                        List<RecordingsView.Range> recorded = view.ranges().stream()
                                .filter(RecordingsView.Range::recorded).toList();
                        return recorded.size() >= 2 && Duration.between(recorded.getLast().start(),
                                recorded.getLast().end()).toMillis() >= 2000;
                    });

            List<RecordingsView.Range> gaps = afterOutage.ranges().stream().filter(r -> !r.recorded()).toList();
            RecordingsView.Range outage = gaps.stream()
                    .filter(g -> g.reason().startsWith("camera offline")).findFirst().orElseThrow(() ->
                            new AssertionError("no 'camera offline' gap in " + afterOutage.ranges()));
            assertThat(Duration.between(outage.start(), outage.end())).isPositive();

            // Playback across the outage: the recording before it, the gap closed up, the recording after.
            List<RecordingsView.Range> recorded = afterOutage.ranges().stream().filter(RecordingsView.Range::recorded)
                    .toList();
            Instant from = recorded.getFirst().end().minusSeconds(2);
            Instant to = recorded.getLast().start().plusSeconds(2);
            Path file = dir.resolve("across.mp4");
            try (RelayResponse playback = viewer.relayGet(id, "/api/cameras/dying/playback.mp4?stream=sd&start="
                    + from + "&end=" + to);
                 InputStream in = playback.body()) {
                assertThat(playback.status()).isEqualTo(200);
                Files.write(file, in.readAllBytes());
            }
            assertThat(Ffmpeg.ffmpeg(dir, "-v", "error", "-i", file.toString(), "-f", "null", "-").stderr().strip())
                    .isEmpty();
            String frames = Ffmpeg.ffprobe(dir, "-v", "error", "-count_frames", "-select_streams", "v:0",
                    "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file.toString()).requireSuccess()
                    .stdout().strip();
            assertThat(Integer.parseInt(frames)).as("about 4 s of pictures, both sides of the gap").isGreaterThan(40);
        }
    }

    private static long recordedMillis(Recorder recorder, String camera) {
        return recorder.recordings().index(camera, StreamKind.MAIN).map(CameraOutageTest::recordedMillis).orElse(0L);
    }

    private static long recordedMillis(RecordingIndex index) {
        return index.segments().stream().mapToLong(s -> Duration.between(s.start(), s.end()).toMillis()).sum();
    }

    private static String state(OutpostClient viewer, String id, String camera) throws Exception {
        try (RelayResponse response = viewer.relayGet(id, "/api/cameras")) {
            CameraView[] views = Json.read(response.body().readAllBytes(), CameraView[].class);
            for (CameraView view : views) {
                if (view.id().equals(camera)) {
                    return view.streams().getFirst().state();
                }
            }
            throw new AssertionError("no camera " + camera);
        }
    }

    private static RecordingsView timeline(OutpostClient viewer, String id, Instant began) throws Exception {
        try (RelayResponse response = viewer.relayGet(id, "/api/cameras/dying/recordings?stream=sd&from="
                + began.minusSeconds(5) + "&to=" + Instant.now())) {
            assertThat(response.status()).isEqualTo(200);
            return Json.read(response.body().readAllBytes(), RecordingsView.class);
        }
    }
}
