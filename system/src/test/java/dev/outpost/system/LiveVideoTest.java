package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.cameras.CameraConfig;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.recording.RecordingStatus;
import dev.outpost.testkit.CapturedMp4;
import dev.outpost.testkit.Ffmpeg;
import dev.outpost.testkit.RtspCamera;
import dev.outpost.wire.api.CameraView;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real RTSP camera (GStreamer) pulled by the recorder, watched live through the cloud's relay: the
 * fMP4 the viewer receives decodes with ffmpeg at the stream's resolution.
 */
class LiveVideoTest {

    @Test
    void liveVideoThroughTheRelayDecodesAtTheRightSizeForHdAndSd(@TempDir Path dir) throws Exception {
        try (RtspCamera camera = RtspCamera.builder().digestAuth("admin", "cam pass").start();
             Site site = Site.start(dir)) {
            CameraConfig config = new CameraConfig("front", "Front door", camera.url(RtspCamera.MAIN), camera.url("sub"));
            Recorder recorder = site.recorder("Shop", c -> c.withCameras(List.of(config)));
            OutpostClient viewer = site.admin();

            assertThat(probe(viewer, recorder, "hd", dir.resolve("hd.mp4"))).isEqualTo("h264,1280,720,15/1");
            assertThat(probe(viewer, recorder, "sd", dir.resolve("sd.mp4"))).isEqualTo("h264,704,576,15/1");
            assertThat(decodeErrors(dir.resolve("hd.mp4"))).isEmpty();

            try (RelayResponse missing = viewer.relayGet(recorder.identity().recorderId(), "/api/cameras/nope/live.mp4")) {
                assertThat(missing.status()).isEqualTo(404);
            }

            // The recorder lists the camera with both streams playing at their sizes.
            try (RelayResponse list = viewer.relayGet(recorder.identity().recorderId(), "/api/cameras")) {
                CameraView[] views = dev.outpost.wire.json.Json.read(list.body().readAllBytes(), CameraView[].class);
                assertThat(views).hasSize(1);
                assertThat(views[0].id()).isEqualTo("front");
                assertThat(views[0].name()).isEqualTo("Front door");
                assertThat(views[0].streams()).extracting(CameraView.Stream::stream, CameraView.Stream::state,
                                CameraView.Stream::width, CameraView.Stream::height)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("hd", "STREAMING", 1280, 720),
                                org.assertj.core.groups.Tuple.tuple("sd", "STREAMING", 704, 576));
                assertThat(views[0].streams()).allMatch(s -> s.framesPerSecond() > 0 && s.recording().equals("RECORDING"));
            }

            // Meanwhile both streams were being recorded to disk.
            for (StreamKind kind : StreamKind.values()) {
                await("recording of " + kind).atMost(java.time.Duration.ofSeconds(15)).until(() ->
                        recorder.recordings().index("front", kind).map(i -> i.size() > 0 && i.bytes() > 0).orElse(false));
                assertThat(recorder.recordings().statuses().values()).allMatch(s -> s.state() == RecordingStatus.State.RECORDING);
            }
        }
    }

    /** Saves about 3 s of the live stream and returns what ffprobe says of it: codec,width,height,frame rate. */
    private static String probe(OutpostClient viewer, Recorder recorder, String stream, Path file) throws Exception {
        try (RelayResponse live = viewer.relayGet(recorder.identity().recorderId(), "/api/cameras/front/live.mp4?stream=" + stream)) {
            assertThat(live.status()).isEqualTo(200);
            assertThat(live.contentType()).contains("video/mp4");
            long wanted = stream.equals("hd") ? 1_200_000 : 250_000;
            try (InputStream in = live.body(); OutputStream out = Files.newOutputStream(file)) {
                byte[] buffer = new byte[32 * 1024];
                long copied = 0;
                int n;
                while (copied < wanted && (n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    copied += n;
                }
            }
        }
        CapturedMp4.keepWholeBoxes(file);
        return Ffmpeg.ffprobe(file.getParent(), "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,width,height,r_frame_rate", "-of", "csv=p=0", file.toString()).requireSuccess().stdout().strip();
    }

    private static String decodeErrors(Path file) throws Exception {
        return Ffmpeg.ffmpeg(file.getParent(), "-v", "error", "-i", file.toString(), "-f", "null", "-").stderr().strip();
    }
}
