package dev.outpost.recorder.live;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import dev.outpost.media.mp4.BoxReader;
import dev.outpost.media.mp4.Fragment;
import dev.outpost.media.mp4.Sample;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Synthetic pictures for live tests: each carries its index in the stream inside its NAL unit, so a test can tell
 * from a viewer's fMP4 which pictures it got.
 */
final class LiveTestVideo {
    /** Constrained Baseline, level 3.0. */
    static final byte[] SPS = {0x67, 0x42, (byte) 0xC0, 0x1E, (byte) 0xDA, 0x02, (byte) 0x80, (byte) 0xBF,
        (byte) 0xE5};
    static final byte[] PPS = {0x68, (byte) 0xEB, (byte) 0xE3, (byte) 0xCB, 0x22, (byte) 0xC0};
    static final StreamFormat FORMAT = new StreamFormat(SPS, PPS, 704, 576);
    /** Another format (different PPS), as after a camera's settings changed. */
    static final StreamFormat OTHER_FORMAT = new StreamFormat(SPS, new byte[] {0x68, (byte) 0xCE, 0x3C, (byte) 0x80},
            352, 288);
    static final int STEP_15FPS = 6000;
    static final long PTS_BASE = 1_000_000;
    static final long CAPTURE_BASE = 1_780_000_000_000_000L;

    private LiveTestVideo() {
    }

    /** Picture {@code index} of a 15 fps stream with a keyframe every {@code gop}, of the given sizes. */
    static AccessUnit picture(int index, int gop, int keyframeBytes, int otherBytes) {
        boolean key = index % gop == 0;
        int size = Math.max(9, key ? keyframeBytes : otherBytes);
        ByteBuffer avcc = ByteBuffer.allocate(size);
        avcc.putInt(size - 4).put((byte) (key ? 0x65 : 0x41)).putInt(index);
        long pts = PTS_BASE + (long) index * STEP_15FPS;
        long capture = CAPTURE_BASE + (long) index * 1_000_000 / 15;
        return new AccessUnit(pts, capture, key, avcc.array());
    }

    static AccessUnit picture(int index, int gop) {
        return picture(index, gop, 2000, 300);
    }

    /** The picture index a synthetic sample carries. */
    static int indexOf(Sample sample) {
        return ByteBuffer.wrap(sample.data(), 5, 4).getInt();
    }

    /** Every sample of the fragments in a viewer's output, in order. */
    static List<Sample> samples(byte[] fmp4) {
        List<Sample> samples = new ArrayList<>();
        for (Fragment f : BoxReader.readFragments(fmp4)) {
            samples.addAll(f.samples());
        }
        return samples;
    }
}
