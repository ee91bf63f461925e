package dev.outpost.recorder.snapshot;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.NalUnits;
import dev.outpost.media.h264.StreamFormat;
import dev.outpost.testkit.Ffmpeg;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real H.264 clip from Debian's ffmpeg and libx264 (High profile, as most cameras send) whose pictures are solid
 * colours, so a test can tell from one pixel which picture a snapshot shows: {@code red} pictures, then {@code blue}.
 * One keyframe, at the start (no scene-cut keyframe at the change of colour), no B-frames.
 *
 * @param format   SPS and PPS, lifted out of the stream as a camera's SDP carries them
 * @param pictures one AVCC access unit per picture, 15 fps
 */
record ColourClip(StreamFormat format, List<AccessUnit> pictures) {
    static ColourClip make(Path dir, int width, int height, int red, int blue) {
        return make(dir, width, height, red, blue, "yuv420p");
    }

    /** @param pixelFormat {@code yuv420p} (limited range, as most cameras) or {@code yuvj420p} (full range, as some) */
    static ColourClip make(Path dir, int width, int height, int red, int blue, String pixelFormat) {
        String size = width + "x" + height;
        Path out = dir.resolve("colours-" + size + "-" + red + "-" + blue + "-" + pixelFormat + ".h264");
        Ffmpeg.ffmpeg(dir, "-v", "error",
                "-f", "lavfi", "-i", "color=c=red:s=" + size + ":r=15",
                "-f", "lavfi", "-i", "color=c=blue:s=" + size + ":r=15",
                "-filter_complex", "[0]trim=end_frame=" + red + "[a];[1]trim=end_frame=" + blue
                        + "[b];[a][b]concat=n=2:v=1:a=0,format=" + pixelFormat,
                "-c:v", "libx264", "-profile:v", "high", "-g", "600", "-bf", "0", "-x264-params", "scenecut=0",
                "-f", "h264", "-y", out.toString()).requireSuccess();
        try {
            return split(Files.readAllBytes(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** H.264 section 7.4.1.2.3: a slice with first_mb_in_slice 0 (its first bit set) opens a new picture. */
    private static ColourClip split(byte[] annexB) {
        byte[] sps = null;
        byte[] pps = null;
        List<AccessUnit> units = new ArrayList<>();
        List<byte[]> picture = new ArrayList<>();
        boolean key = false;
        for (byte[] nal : NalUnits.splitAnnexB(annexB)) {
            int type = NalUnits.type(nal);
            if (NalUnits.isSlice(type) && (nal[1] & 0x80) != 0 && !picture.isEmpty()) {
                units.add(unit(units.size(), key, picture));
                picture = new ArrayList<>();
                key = false;
            }
            switch (type) {
                case NalUnits.SPS -> sps = sps == null ? nal : sps;
                case NalUnits.PPS -> pps = pps == null ? nal : pps;
                case NalUnits.ACCESS_UNIT_DELIMITER, NalUnits.SEI -> { }
                default -> {
                    picture.add(nal);
                    key |= type == NalUnits.IDR_SLICE;
                }
            }
        }
        units.add(unit(units.size(), key, picture));
        return new ColourClip(StreamFormat.of(sps, pps), units);
    }

    private static AccessUnit unit(int index, boolean key, List<byte[]> nals) {
        return new AccessUnit(index * 6000L, 1_780_000_000_000_000L + index * 66_667L, key, NalUnits.toAvcc(nals));
    }
}
