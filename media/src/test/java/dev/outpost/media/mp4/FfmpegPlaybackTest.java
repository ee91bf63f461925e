package dev.outpost.media.mp4;

import dev.outpost.testkit.Ffmpeg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.media.h264.AccessUnit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What Outpost writes, judged by a real demuxer and decoder: x264 makes a camera-like stream (704x576, 15 fps, a
 * keyframe every 2 s, no B-frames), the writer muxes its access units into 1-second fragments, and ffprobe and
 * ffmpeg must read every picture, with the right size, rate and keyframes, decoding to the same pixels as the raw
 * stream.
 */
class FfmpegPlaybackTest {
    private static final int WIDTH = 704;
    private static final int HEIGHT = 576;
    private static final int FPS = 15;
    private static final int FRAMES = 60;
    private static final int GOP = 30;
    private static final int FRAGMENT = 15;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"high", "baseline"})
    void aRecordingPlaysEveryPictureAsTheCameraSentIt(String profile) throws IOException {
        Path raw = encode(profile);
        AnnexBStream stream = camera(raw);
        assertThat(stream.units()).hasSize(FRAMES);
        List<byte[]> fragments = fragments(stream.units());
        Path file = write("recording.mp4", Fmp4Writer.initSegment(stream.format(), 90_000), fragments);

        Map<String, String> info = probeStream(file);
        assertThat(info).containsEntry("codec_name", "h264")
                .containsEntry("codec_tag_string", "avc1")
                .containsEntry("profile", profile.equals("high") ? "High" : "Constrained Baseline")
                .containsEntry("width", String.valueOf(WIDTH))
                .containsEntry("height", String.valueOf(HEIGHT))
                .containsEntry("r_frame_rate", FPS + "/1")
                .containsEntry("avg_frame_rate", FPS + "/1")
                .containsEntry("nb_read_frames", String.valueOf(FRAMES));
        Ffmpeg.ffmpeg(dir, "-v", "error", "-i", file.toString(), "-f", "null", "-").requireSuccess();
        List<String> all = pictureHashes(raw);
        assertThat(all).hasSize(FRAMES);
        assertThat(pictureHashes(file)).isEqualTo(all);
        // Seeking trusts the trun sample flags (ffprobe's packet flags come from parsing the bitstream instead):
        // a seek to 2.4 s must start decoding at the keyframe at 2.0 s and give exactly pictures 36 onwards.
        assertThat(pictureHashes(file, "-ss", "2.4")).isEqualTo(all.subList(36, FRAMES));
    }

    @Test
    void aLiveViewerJoiningAtAKeyframeFragmentSeesEveryPictureFromThere() throws IOException {
        Path raw = encode("high");
        AnnexBStream stream = camera(raw);
        List<byte[]> fragments = fragments(stream.units());
        int join = GOP / FRAGMENT; // the third fragment opens the second GOP
        assertThat(BoxReader.readFragment(fragments.get(join)).samples().getFirst().sync()).isTrue();
        Path live = write("live.mp4", Fmp4Writer.initSegment(stream.format(), 90_000),
                fragments.subList(join, fragments.size()));

        Map<String, String> info = probeStream(live);
        assertThat(info).containsEntry("nb_read_frames", String.valueOf(FRAMES - GOP))
                .containsEntry("start_time", seconds(stream.units().get(GOP).pts90k()));
        Ffmpeg.ffmpeg(dir, "-v", "error", "-i", live.toString(), "-f", "null", "-").requireSuccess();
        List<String> all = pictureHashes(raw);
        assertThat(pictureHashes(live)).isEqualTo(all.subList(GOP, FRAMES));
    }

    @Test
    void aMissingFfprobeNamesTheDebianPackage() {
        assertThatThrownBy(() -> Ffmpeg.executable("ffprobe-that-is-not-installed"))
                .hasMessageContaining("apt-get install ffmpeg");
    }

    /** The camera: x264 with a fixed GOP and no B-frames, as surveillance cameras send. */
    private Path encode(String profile) {
        Path raw = dir.resolve(profile + ".h264");
        Ffmpeg.ffmpeg(dir, "-v", "error", "-f", "lavfi", "-i", "testsrc=size=" + WIDTH + "x" + HEIGHT + ":rate=" + FPS,
                "-t", String.valueOf(FRAMES / FPS), "-pix_fmt", "yuv420p", "-c:v", "libx264", "-profile:v", profile,
                "-g", String.valueOf(GOP), "-keyint_min", String.valueOf(GOP), "-sc_threshold", "0", "-bf", "0",
                "-f", "h264", raw.toString()).requireSuccess();
        return raw;
    }

    private static AnnexBStream camera(Path raw) throws IOException {
        return AnnexBStream.parse(Files.readAllBytes(raw), WIDTH, HEIGHT, TestVideo.PTS_BASE, 90_000 / FPS,
                TestVideo.CAPTURE_BASE);
    }

    /** One-second fragments as the recorder cuts them, each closed once the next picture's pts is known. */
    private static List<byte[]> fragments(List<AccessUnit> units) {
        TrackFragmenter fragmenter = new TrackFragmenter(90_000);
        List<byte[]> fragments = new ArrayList<>();
        for (int from = 0; from < units.size(); from += FRAGMENT) {
            int to = Math.min(from + FRAGMENT, units.size());
            OptionalLong next = to < units.size() ? OptionalLong.of(units.get(to).pts90k()) : OptionalLong.empty();
            fragments.add(fragmenter.fragment(units.subList(from, to), next));
        }
        return fragments;
    }

    private Path write(String name, byte[] init, List<byte[]> fragments) throws IOException {
        List<byte[]> parts = new ArrayList<>();
        parts.add(init);
        parts.addAll(fragments);
        Path file = dir.resolve(name);
        Files.write(file, TestVideo.concat(parts.toArray(byte[][]::new)));
        return file;
    }

    private Map<String, String> probeStream(Path file) {
        String out = Ffmpeg.ffprobe(dir, "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries",
                "stream=codec_name,codec_tag_string,profile,width,height,r_frame_rate,avg_frame_rate,"
                        + "nb_read_frames,start_time",
                "-of", "default=noprint_wrappers=1", file.toString()).requireSuccess().stdout();
        Map<String, String> info = new LinkedHashMap<>();
        out.lines().map(l -> l.split("=", 2)).filter(kv -> kv.length == 2).forEach(kv -> info.put(kv[0], kv[1]));
        return info;
    }

    /** MD5 of each decoded picture, in order; timestamps are left out since raw H.264 has none. */
    private List<String> pictureHashes(Path input, String... inputOptions) {
        List<String> args = new ArrayList<>(List.of("-v", "error"));
        args.addAll(List.of(inputOptions));
        args.addAll(List.of("-i", input.toString(), "-map", "0:v:0", "-fps_mode", "passthrough", "-f", "framemd5",
                "-"));
        String out = Ffmpeg.ffmpeg(dir, args.toArray(String[]::new)).requireSuccess().stdout();
        return out.lines().filter(l -> !l.startsWith("#"))
                .map(l -> Arrays.stream(l.split(",")).map(String::trim).toList().getLast())
                .toList();
    }

    private static String seconds(long pts90k) {
        return String.format("%d.%06d", pts90k / 90_000, pts90k % 90_000 * 1_000_000 / 90_000);
    }
}
