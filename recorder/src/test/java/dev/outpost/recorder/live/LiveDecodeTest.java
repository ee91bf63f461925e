package dev.outpost.recorder.live;

import dev.outpost.testkit.Ffmpeg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.NalUnits;
import dev.outpost.media.h264.StreamFormat;
import dev.outpost.media.mp4.BoxReader;
import dev.outpost.media.mp4.Fragment;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A viewer's bytes, from a real H.264 stream joined mid-GOP, decode in ffmpeg without an error. */
class LiveDecodeTest {
    private static final int FPS = 15;
    private static final int GOP = 30;
    private static final long CAPTURE_BASE = 1_780_000_000_000_000L;

    @TempDir
    static Path dir;
    private static StreamFormat format;
    private static List<AccessUnit> pictures;

    /** 8 s of 704x576 at 15 fps, a keyframe every 30 pictures, as a camera's main stream looks. */
    @BeforeAll
    static void encode() throws IOException {
        Ffmpeg.run(dir, "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=704x576:rate=" + FPS, "-t", "8",
                "-c:v", "libx264", "-g", String.valueOf(GOP), "-bf", "0", "-f", "h264", "out.h264").requireSuccess();
        byte[] sps = null;
        byte[] pps = null;
        pictures = new ArrayList<>();
        List<byte[]> current = new ArrayList<>();
        boolean currentHasSlice = false;
        boolean currentKey = false;
        for (byte[] nal : NalUnits.splitAnnexB(Files.readAllBytes(dir.resolve("out.h264")))) {
            int type = NalUnits.type(nal);
            boolean slice = type == NalUnits.NON_IDR_SLICE || type == NalUnits.IDR_SLICE;
            // H.264 section 7.4.1.2.3: a parameter set, SEI or AUD after a slice, or a slice whose first_mb_in_slice
            // is 0 (first bit set), opens the next access unit.
            boolean opens = slice ? (nal[1] & 0x80) != 0 : type >= NalUnits.SEI && type <= NalUnits.ACCESS_UNIT_DELIMITER;
            if (opens && currentHasSlice) {
                pictures.add(unit(pictures.size(), currentKey, current));
                current = new ArrayList<>();
                currentHasSlice = false;
                currentKey = false;
            }
            switch (type) {
                case NalUnits.SPS -> sps = sps == null ? nal : sps; // lifted into the format, as from SDP
                case NalUnits.PPS -> pps = pps == null ? nal : pps;
                case NalUnits.ACCESS_UNIT_DELIMITER -> { }
                default -> current.add(nal);
            }
            currentHasSlice |= slice;
            currentKey |= type == NalUnits.IDR_SLICE;
        }
        pictures.add(unit(pictures.size(), currentKey, current));
        format = StreamFormat.of(sps, pps);
        assertThat(pictures).hasSize(8 * FPS);
        assertThat(pictures.stream().filter(AccessUnit::keyframe).count()).isEqualTo(4);
    }

    @Test
    void aViewerWhoJoinsMidGopGetsAStreamThatDecodesFromItsFirstByte() throws IOException {
        LiveHub hub = new LiveHub("cam-1/hd");
        hub.onFormat(format);
        EmbeddedChannel channel = null;
        ChannelCapture capture = new ChannelCapture();
        try {
            for (int i = 0; i < pictures.size(); i++) {
                if (i == 40) {
                    channel = new EmbeddedChannel();
                    LiveChannelWriter.attach(channel, hub.subscribe(), LiveChannelWriter.Framing.HTTP);
                }
                hub.onAccessUnit(pictures.get(i));
                if (channel != null) {
                    capture.drain(channel);
                }
            }
        } finally {
            if (channel != null) {
                channel.finishAndReleaseAll();
            }
        }
        assertDecodes(capture.bytes(), "joined.mp4", pictures.size() - 30);
    }

    @Test
    void aViewerWhoFellBehindAndSkippedStillDecodes() throws IOException {
        LiveHub hub = new LiveHub("cam-1/hd", GopCache.Limits.DEFAULT,
                LiveViewer.Limits.DEFAULT.withMaxLatency(Duration.ofSeconds(1)));
        hub.onFormat(format);
        StallableChannel channel = new StallableChannel(1024, 2048); // small pictures: a small socket buffer
        LiveViewer viewer = hub.subscribe();
        ChannelCapture capture = new ChannelCapture();
        try {
            LiveChannelWriter.attach(channel, viewer, LiveChannelWriter.Framing.HTTP);
            for (int i = 0; i < pictures.size(); i++) {
                if (i == 40) {
                    channel.stall();
                }
                hub.onAccessUnit(pictures.get(i));
                capture.drain(channel);
                if (i == 80) {
                    channel.resume();
                    capture.drain(channel);
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        assertThat(viewer.stats().skips()).isPositive();
        int sent = BoxReader.readFragments(capture.bytes()).stream().mapToInt(f -> f.samples().size()).sum();
        assertThat(sent).isLessThan(pictures.size());
        assertDecodes(capture.bytes(), "skipped.mp4", sent);
    }

    @Test
    void afterAnInterruptionTheViewerContinuesAtTheNextKeyframeWithoutATimeGap() throws IOException {
        LiveHub hub = new LiveHub("cam-1/hd");
        hub.onFormat(format);
        EmbeddedChannel channel = new EmbeddedChannel();
        ChannelCapture capture = new ChannelCapture();
        try {
            LiveChannelWriter.attach(channel, hub.subscribe(), LiveChannelWriter.Framing.HTTP);
            for (int i = 0; i < 50; i++) {
                hub.onAccessUnit(pictures.get(i));
                capture.drain(channel);
            }
            hub.onInterruption("connection lost");
            // The camera is back 10 s later; its pts jumped by the gap, as CameraStream's PtsTimeline makes them.
            for (int i = 50; i < pictures.size(); i++) {
                AccessUnit p = pictures.get(i);
                hub.onAccessUnit(new AccessUnit(p.pts90k() + 900_000, p.captureMicros() + 10_000_000, p.keyframe(),
                        p.avcc()));
                capture.drain(channel);
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        int expected = 50 + (pictures.size() - 60); // waits for the keyframe at 60
        assertDecodes(capture.bytes(), "interrupted.mp4", expected);
    }

    private static void assertDecodes(byte[] fmp4, String name, int pictureCount) throws IOException {
        List<Fragment> fragments = BoxReader.readFragments(fmp4);
        assertThat(fragments.getFirst().samples().getFirst().sync()).isTrue();
        for (int i = 1; i < fragments.size(); i++) {
            assertThat(fragments.get(i).baseMediaDecodeTime()).as("fragment %d starts where the one before ends", i)
                    .isEqualTo(fragments.get(i - 1).endDecodeTime());
        }
        Path file = dir.resolve(name);
        Files.write(file, fmp4);
        Ffmpeg.run(dir, "ffmpeg", "-v", "error", "-i", name, "-f", "null", "-").requireSuccess();
        String frames = Ffmpeg.run(dir, "ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames,width,height", "-of", "csv=p=0", name).requireSuccess().stdout();
        assertThat(frames.strip()).isEqualTo("704,576," + pictureCount);
        // Every picture shows 1/15 s after the one before: no gap where pictures were skipped or the camera was gone.
        List<Double> times = Ffmpeg.run(dir, "ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "frame=pts_time", "-of", "csv=p=0", name).requireSuccess().stdout().lines()
                .filter(l -> !l.isBlank()).map(l -> Double.parseDouble(l.replace(",", "").strip())).toList();
        assertThat(times).hasSize(pictureCount);
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i) - times.get(i - 1)).as("picture %d after %d", i, i - 1)
                    .isCloseTo(1.0 / FPS, org.assertj.core.data.Offset.offset(0.002));
        }
    }

    private static AccessUnit unit(int index, boolean keyframe, List<byte[]> nals) {
        long pts = 90_000L * 3600 + (long) index * 90_000 / FPS;
        long capture = CAPTURE_BASE + (long) index * 1_000_000 / FPS;
        return new AccessUnit(pts, capture, keyframe, NalUnits.toAvcc(nals));
    }
}
