package dev.outpost.recorder.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.outpost.recorder.recording.RecordingIndex;
import dev.outpost.recorder.recording.TestVideo;
import dev.outpost.testkit.Ffmpeg;
import dev.outpost.wire.api.ExportRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clips made from real recordings, judged by Debian's ffprobe: size, length, and that every picture decodes. */
public class ClipMakerTest {
    @TempDir
    Path root;

    private static RecordingIndex record(Path root, TestVideo.Real video, IntPredicate skipped) {
        return TestRecording.record(root, video, skipped);
    }

    private static Instant at(int picture) {
        return TestRecording.at(picture);
    }

    /** ffprobe's word on a clip: width, height, duration, pictures decoded; any decoder error fails the test. */
    public static Map<String, String> probe(Path dir, Path clip) {
        Ffmpeg.Run run = Ffmpeg.ffprobe(dir, "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=codec_name,width,height,nb_read_frames:format=duration,format_name",
                "-of", "default=nw=1", clip.toString()).requireSuccess();
        return run.stdout().lines().filter(l -> l.contains("="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1),
                        (a, b) -> a));
    }

    private ClipMaker.Made make(RecordingIndex index, ExportRequest request, Path out) throws Exception {
        return new ClipMaker(index, request, out, micros -> { }).make();
    }

    @Test
    void a4mpRecordingIsExportedAt2mpWithItsLengthAndEveryPictureDecoding() throws Exception {
        TestVideo.Real video = TestVideo.real(root, 6, 2560, 1440);
        RecordingIndex index = record(root, video, i -> false);
        Path out = root.resolve("clip.mp4");
        // Pictures 30 (a keyframe) to 75: 45 pictures, 3 s at 15 fps.
        ClipMaker.Made made = make(index, new ExportRequest("cam",
                List.of(new ExportRequest.Range(at(30), at(75))), ""), out);

        Map<String, String> probe = probe(root, out);
        assertThat(probe).containsEntry("codec_name", "h264").containsEntry("width", "1920")
                .containsEntry("height", "1080").containsEntry("nb_read_frames", "45");
        assertThat(Double.parseDouble(probe.get("duration"))).isCloseTo(3.0, within(0.15));
        assertThat(made.width()).isEqualTo(1920);
        assertThat(made.pictures()).isEqualTo(45);
        assertThat(made.firstCapture()).isEqualTo(at(30));
    }

    @Test
    void twoRangesAndAGapInsideOneFollowEachOtherAndASmallRecordingIsNeverScaledUp() throws Exception {
        TestVideo.Real video = TestVideo.real(root, 10, 704, 576);
        // Pictures 45 to 89 were never recorded (the camera was away for 3 s): a gap inside the first range.
        RecordingIndex index = record(root, video, i -> i >= 45 && i < 90);
        Path out = root.resolve("clip.mp4");
        ClipMaker.Made made = make(index, new ExportRequest("cam", List.of(
                new ExportRequest.Range(at(0), at(105)), // 105 - 45 missing = 60 pictures
                new ExportRequest.Range(at(120), at(135))), // 15 pictures, 1 s after the first range
                ExportRequest.FOUR_MP), out);

        Map<String, String> probe = probe(root, out);
        assertThat(probe).containsEntry("width", "704").containsEntry("height", "576")
                .containsEntry("nb_read_frames", "75");
        // 75 pictures at 15 fps: the gap and the time between the ranges are closed up.
        assertThat(Double.parseDouble(probe.get("duration"))).isCloseTo(5.0, within(0.15));
        assertThat(made.pictures()).isEqualTo(75);
    }

    @Test
    void rangesWithNothingRecordedMakeNoClip() throws Exception {
        TestVideo.Real video = TestVideo.real(root, 2, 704, 576);
        RecordingIndex index = record(root, video, i -> false);
        Path out = root.resolve("clip.mp4");
        assertThatThrownBy(() -> make(index, new ExportRequest("cam",
                List.of(new ExportRequest.Range(at(1000), at(1100))), ""), out))
                .isInstanceOf(ClipException.class).hasMessageContaining("nothing of camera cam is recorded");
        assertThat(Files.exists(out)).isFalse();
    }
}
