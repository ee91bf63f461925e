package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.samples.SampleSpec;
import dev.outpost.testkit.Ffmpeg;
import dev.outpost.wire.api.ApiError;
import dev.outpost.wire.api.RecordingsView;
import dev.outpost.wire.json.Json;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Search playback through the cloud's relay, from a recorder recording a sample camera: the timeline shows what is
 * recorded, and recorded video plays back from the keyframe at or before the requested time, decodable at the
 * stream's size and rate, keyframes only at fast speeds.
 */
class PlaybackTest {
    private static final String CAMERA = "sample-1";

    @Test
    void recordedVideoPlaysBackThroughTheRelayFromTheRequestedTime(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir)) {
            Recorder recorder = site.recorder("Shop", c -> c.withSampleCameras(1));
            String id = recorder.identity().recorderId();
            OutpostClient viewer = site.admin();
            Instant began = Instant.now();

            // Wait until the timeline shows 9 s recorded on both streams.
            RecordingsView.Range recorded = await("9 s recorded").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        RecordingsView.Range sd = recordedRange(viewer, id, "sd", began);
                        RecordingsView.Range hd = recordedRange(viewer, id, "hd", began);
                        boolean enough = sd != null && hd != null
                                && Duration.between(sd.start(), sd.end()).toMillis() >= 9000
                                && Duration.between(hd.start(), hd.end()).toMillis() >= 9000;
                        return enough ? sd : null;
                    }, Objects::nonNull);

            // Normal speed, SD: starts at the keyframe at or before the start (within one GOP, 2 s), 15 fps.
            Instant start = recorded.start().plusMillis(3500);
            Instant end = start.plusSeconds(4);
            Path sd = dir.resolve("sd.mp4");
            Instant first = download(viewer, id, "/api/cameras/" + CAMERA + "/playback.mp4?stream=sd&start=" + start
                    + "&end=" + end, sd);
            assertThat(first).isBeforeOrEqualTo(start).isAfter(start.minusMillis(2001));
            assertThat(probe(sd)).isEqualTo(List.of("704", "576", "15/1"));
            assertThat(decodeErrors(sd)).isEmpty();
            long expectedFrames = Duration.between(first, end).toMillis() * SampleSpec.FPS / 1000;
            assertThat(frames(sd)).isBetween(expectedFrames - 1, expectedFrames + 1);

            // 8x, HD: keyframes only, one per 2 s GOP.
            Path fast = dir.resolve("hd-8x.mp4");
            Instant fastFirst = download(viewer, id, "/api/cameras/" + CAMERA + "/playback.mp4?stream=hd&speed=8&start="
                    + start + "&end=" + start.plusSeconds(5), fast);
            assertThat(probe(fast).subList(0, 2)).containsExactly(String.valueOf(SampleSpec.HD_WIDTH),
                    String.valueOf(SampleSpec.HD_HEIGHT));
            assertThat(decodeErrors(fast)).isEmpty();
            long keyframes = Duration.between(fastFirst, start.plusSeconds(5)).toMillis() / 2000
                    + (Duration.between(fastFirst, start.plusSeconds(5)).toMillis() % 2000 == 0 ? 0 : 1);
            assertThat(frames(fast)).isEqualTo(keyframes);

            // Snapshots: the latest live picture, and the picture recorded at a moment (the last at or before it).
            BufferedImage live = snapshot(viewer, id, "/api/cameras/" + CAMERA + "/snapshot.jpg?stream=sd", null);
            assertThat(live.getWidth()).isEqualTo(SampleSpec.SD_WIDTH);
            assertThat(live.getHeight()).isEqualTo(SampleSpec.SD_HEIGHT);
            Instant moment = start.plusMillis(1234);
            BufferedImage recordedPicture = snapshot(viewer, id, "/api/cameras/" + CAMERA + "/snapshot.jpg?stream=hd&width=640&at="
                    + moment, moment);
            assertThat(recordedPicture.getWidth()).isEqualTo(640);
            assertThat(recordedPicture.getHeight()).isEqualTo(640 * SampleSpec.HD_HEIGHT / SampleSpec.HD_WIDTH);
            assertError(viewer, id, "/api/cameras/" + CAMERA + "/snapshot.jpg?at=" + began.minusSeconds(600), 404,
                    "not-recorded");
            assertError(viewer, id, "/api/cameras/" + CAMERA + "/snapshot.jpg?width=9", 400, "bad-parameter");

            // Nothing recorded in the window, a bad time, an unknown camera: clear errors.
            assertError(viewer, id, "/api/cameras/" + CAMERA + "/playback.mp4?start=" + began.minusSeconds(3600)
                    + "&end=" + began.minusSeconds(3000), 404, "not-recorded");
            assertError(viewer, id, "/api/cameras/" + CAMERA + "/playback.mp4?start=yesterday", 400, "bad-parameter");
            assertError(viewer, id, "/api/cameras/" + CAMERA + "/playback.mp4?start=" + start + "&speed=100", 400,
                    "bad-parameter");
            assertError(viewer, id, "/api/cameras/nope/playback.mp4?start=" + start, 404, "not-found");
            assertError(viewer, id, "/api/cameras/nope/recordings", 404, "not-found");
            assertError(viewer, id, "/api/cameras/" + CAMERA + "/recordings?from=" + start + "&to=" + start, 400,
                    "bad-parameter");
        }
    }

    /** The recorded range of the last minute that began after {@code after}, or null. */
    private static RecordingsView.Range recordedRange(OutpostClient viewer, String id, String stream, Instant after)
            throws Exception {
        Instant to = Instant.now().plusSeconds(1);
        try (RelayResponse response = viewer.relayGet(id, "/api/cameras/" + CAMERA + "/recordings?stream=" + stream
                + "&from=" + after.minusSeconds(60) + "&to=" + to)) {
            assertThat(response.status()).isEqualTo(200);
            RecordingsView view = Json.read(response.body().readAllBytes(), RecordingsView.class);
            assertThat(view.camera()).isEqualTo(CAMERA);
            assertThat(view.stream()).isEqualTo(stream);
            // The ranges tile the window: each starts where the one before ended.
            assertThat(view.ranges().getFirst().start()).isEqualTo(view.from());
            assertThat(view.ranges().getLast().end()).isEqualTo(view.to());
            for (int i = 1; i < view.ranges().size(); i++) {
                assertThat(view.ranges().get(i).start()).isEqualTo(view.ranges().get(i - 1).end());
            }
            return view.ranges().stream().filter(RecordingsView.Range::recorded).findFirst().orElse(null);
        }
    }

    /** Saves a playback's body and returns the capture time of its first picture, as the recorder said. */
    private static Instant download(OutpostClient viewer, String id, String path, Path file) throws Exception {
        try (RelayResponse response = viewer.relayGet(id, path)) {
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.contentType()).contains("video/mp4");
            try (InputStream in = response.body()) {
                Files.write(file, in.readAllBytes());
            }
            return Instant.parse(response.headers().firstValue("X-Outpost-Playback-Start").orElseThrow());
        }
    }

    /**
     * Fetches a snapshot and decodes it; when {@code at} is given, the picture's capture time must be the last at or
     * before it (the sample cameras run at 15 fps, so within one picture's time before it).
     */
    private static BufferedImage snapshot(OutpostClient viewer, String id, String path, Instant at) throws Exception {
        try (RelayResponse response = viewer.relayGet(id, path)) {
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.contentType()).contains("image/jpeg");
            Instant captured = Instant.parse(response.headers().firstValue("X-Outpost-Capture-Time").orElseThrow());
            if (at != null) {
                assertThat(captured).isBeforeOrEqualTo(at.plusMillis(1)).isAfter(at.minusMillis(1000 / SampleSpec.FPS + 1));
            } else {
                assertThat(captured).isAfter(Instant.now().minusSeconds(5));
            }
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body().readAllBytes()));
            assertThat(image).as("a JPEG that decodes").isNotNull();
            return image;
        }
    }

    private static void assertError(OutpostClient viewer, String id, String path, int status, String error)
            throws Exception {
        try (RelayResponse response = viewer.relayGet(id, path)) {
            assertThat(response.status()).as(path).isEqualTo(status);
            ApiError body = Json.read(response.body().readAllBytes(), ApiError.class);
            assertThat(body.error()).as(path).isEqualTo(error);
            assertThat(body.message()).isNotBlank();
        }
    }

    private static List<String> probe(Path file) {
        return List.of(Ffmpeg.ffprobe(file.getParent(), "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=width,height,r_frame_rate", "-of", "csv=p=0", file.toString()).requireSuccess().stdout().strip()
                .split(","));
    }

    private static long frames(Path file) {
        return Long.parseLong(Ffmpeg.ffprobe(file.getParent(), "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file.toString()).requireSuccess().stdout()
                .strip());
    }

    private static String decodeErrors(Path file) {
        return Ffmpeg.ffmpeg(file.getParent(), "-v", "error", "-i", file.toString(), "-f", "null", "-").stderr().strip();
    }
}
