package dev.outpost.recorder.recording;

import static org.assertj.core.api.Assertions.fail;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.NalUnits;
import dev.outpost.media.h264.StreamFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Pictures for recording tests: synthetic ones whose NAL unit carries their index (when decoding does not matter),
 * and a real H.264 stream from ffmpeg cut into access units (when ffprobe must decode the files).
 */
public final class TestVideo {
    static final byte[] SPS = {0x67, 0x42, (byte) 0xC0, 0x1E, (byte) 0xDA, 0x02, (byte) 0x80, (byte) 0xBF,
        (byte) 0xE5};
    static final byte[] PPS = {0x68, (byte) 0xEB, (byte) 0xE3, (byte) 0xCB, 0x22, (byte) 0xC0};
    public static final StreamFormat FORMAT = new StreamFormat(SPS, PPS, 704, 576);
    static final int STEP_15FPS = 6000;
    static final long PTS_BASE = 1_000_000;
    /** 2026-05-28T20:26:40Z. */
    static final long CAPTURE_BASE = 1_780_000_000_000_000L;

    private TestVideo() {
    }

    /** Picture {@code index} of a 15 fps stream with a keyframe every {@code gop}. */
    public static AccessUnit picture(int index, int gop, int size) {
        boolean key = index % gop == 0;
        int bytes = Math.max(9, size);
        ByteBuffer avcc = ByteBuffer.allocate(bytes);
        avcc.putInt(bytes - 4).put((byte) (key ? 0x65 : 0x41)).putInt(index);
        return new AccessUnit(PTS_BASE + (long) index * STEP_15FPS, captureMicros(index), key, avcc.array());
    }

    public static AccessUnit picture(int index, int gop) {
        return picture(index, gop, index % gop == 0 ? 2000 : 300);
    }

    public static long captureMicros(int index) {
        return CAPTURE_BASE + (long) index * 1_000_000 / 15;
    }

    /** A real stream: {@code seconds} of testsrc at 15 fps, 704x576, a keyframe every 30 pictures, no B-frames. */
    public static Real real(Path workDir, int seconds) throws IOException, InterruptedException {
        return real(workDir, seconds, 704, 576);
    }

    /** {@code seconds} of testsrc at 15 fps of {@code width} x {@code height}, a keyframe every 30 pictures. */
    public static Real real(Path workDir, int seconds, int width, int height) throws IOException, InterruptedException {
        Path out = workDir.resolve("test-" + width + "x" + height + ".h264");
        Path err = workDir.resolve("ffmpeg.err");
        Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "lavfi",
                "-i", "testsrc=size=" + width + "x" + height + ":rate=15", "-t", String.valueOf(seconds), "-c:v", "libx264", "-g", "30",
                "-bf", "0", "-f", "h264", "-y", out.toString())
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("ffmpeg failed: " + Files.readString(err));
        }
        byte[] sps = null;
        byte[] pps = null;
        List<AccessUnit> units = new ArrayList<>();
        List<byte[]> picture = new ArrayList<>();
        boolean key = false;
        for (byte[] nal : NalUnits.splitAnnexB(Files.readAllBytes(out))) {
            int type = NalUnits.type(nal);
            if (NalUnits.isSlice(type) && (nal[1] & 0x80) != 0 && !picture.isEmpty()
                    && picture.stream().anyMatch(n -> NalUnits.isSlice(NalUnits.type(n)))) {
                units.add(unit(units.size(), key, picture));
                picture = new ArrayList<>();
                key = false;
            }
            switch (type) {
                case NalUnits.SPS -> sps = sps == null ? nal : sps;
                case NalUnits.PPS -> pps = pps == null ? nal : pps;
                case NalUnits.ACCESS_UNIT_DELIMITER -> { }
                default -> {
                    picture.add(nal);
                    key |= type == NalUnits.IDR_SLICE;
                }
            }
        }
        units.add(unit(units.size(), key, picture));
        return new Real(StreamFormat.of(sps, pps), units);
    }

    public record Real(StreamFormat format, List<AccessUnit> units) {
    }

    private static AccessUnit unit(int index, boolean key, List<byte[]> nals) {
        return new AccessUnit(PTS_BASE + (long) index * STEP_15FPS, captureMicros(index), key, NalUnits.toAvcc(nals));
    }

    /** Frames ffprobe decodes in a file, failing on any error it prints. */
    public static int ffprobeFrames(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames,width,height", "-of", "default=nw=1", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !out.contains("nb_read_frames=")
                || out.lines().anyMatch(l -> !l.contains("="))) {
            fail("ffprobe " + file + " failed:\n" + out);
        }
        return out.lines().filter(l -> l.startsWith("nb_read_frames=")).mapToInt(l -> Integer.parseInt(l
                .substring("nb_read_frames=".length()).trim())).findFirst().orElseThrow();
    }
}
