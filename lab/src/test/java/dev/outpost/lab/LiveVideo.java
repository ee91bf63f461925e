package dev.outpost.lab;

import dev.outpost.testkit.CapturedMp4;
import dev.outpost.testkit.Ffmpeg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Judges a captured piece of a live fMP4 stream with Debian's ffprobe. */
final class LiveVideo {
    private LiveVideo() {
    }

    /**
     * Cuts the capture after its last complete fragment (as a player would have stopped there) and returns what
     * ffprobe says of its video: {@code codec,width,height}.
     */
    static String probe(Path file) throws IOException {
        CapturedMp4.keepWholeBoxes(file);
        return Ffmpeg.ffprobe(file.getParent(), "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,width,height", "-of", "csv=p=0", file.toString()).requireSuccess().stdout().strip();
    }

    /** Pictures ffmpeg decodes from the capture without an error; fails on any decoding error. */
    static int decodedFrames(Path file) {
        String out = Ffmpeg.ffprobe(file.getParent(), "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file.toString()).requireSuccess().stdout();
        return Integer.parseInt(out.strip());
    }

    /**
     * Splits a capture made across paths into one file per stream: each path's answer starts anew with its own
     * {@code ftyp} and init segment.
     */
    static java.util.List<Path> streams(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        // A switch can cut a fragment short, so boxes cannot be walked across it: look for each ftyp box, whose
        // size field just before it is small, wherever it is.
        java.util.List<Integer> starts = new java.util.ArrayList<>();
        for (int at = 4; at + 4 <= bytes.length; at++) {
            if (bytes[at] == 'f' && bytes[at + 1] == 't' && bytes[at + 2] == 'y' && bytes[at + 3] == 'p') {
                long size = ((bytes[at - 4] & 0xFFL) << 24) | ((bytes[at - 3] & 0xFF) << 16)
                        | ((bytes[at - 2] & 0xFF) << 8) | (bytes[at - 1] & 0xFF);
                if (size >= 16 && size <= 64) {
                    starts.add(at - 4);
                }
            }
        }
        java.util.List<Path> parts = new java.util.ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1) : bytes.length;
            Path part = file.resolveSibling(file.getFileName() + "." + i + ".mp4");
            Files.write(part, Arrays.copyOfRange(bytes, starts.get(i), end));
            parts.add(part);
        }
        return parts;
    }

    /**
     * The capture time of each fragment of a stream, from its {@code prft} boxes (ISO/IEC 14496-12 section 8.16.5:
     * the NTP time the recorder captured the fragment's first picture), in milliseconds since 1900.
     */
    static java.util.List<Long> captureTimes(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        java.util.List<Long> times = new java.util.ArrayList<>();
        int at = 0;
        while (at + 8 <= bytes.length) {
            long size = ((bytes[at] & 0xFFL) << 24) | ((bytes[at + 1] & 0xFF) << 16) | ((bytes[at + 2] & 0xFF) << 8)
                    | (bytes[at + 3] & 0xFF);
            if (size < 8 || at + size > bytes.length) {
                break; // a cut-off last box
            }
            if (bytes[at + 4] == 'p' && bytes[at + 5] == 'r' && bytes[at + 6] == 'f' && bytes[at + 7] == 't') {
                // full box header (4), reference_track_ID (4), then the 64-bit NTP timestamp
                long ntp = 0;
                for (int i = 0; i < 8; i++) {
                    ntp = (ntp << 8) | (bytes[at + 16 + i] & 0xFFL);
                }
                long seconds = ntp >>> 32;
                long fraction = ntp & 0xFFFFFFFFL;
                times.add(seconds * 1000 + (fraction * 1000 >>> 32));
            }
            at += (int) size;
        }
        return times;
    }
}
