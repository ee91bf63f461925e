package dev.outpost.media.mp4;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Hand-made parameter sets and access units for tests that need no encoder. */
final class TestVideo {
    /** High profile (100), level 3.1; after the level: sps_id 0, chroma_format_idc 1, 8-bit (0xAC). */
    static final byte[] HIGH_SPS = bytes(0x67, 0x64, 0x00, 0x1F, 0xAC, 0xD9, 0x40, 0x50, 0x05, 0xBB, 0x01, 0x10);
    /** Constrained Baseline (66 with constraint_set1), level 3.0. */
    static final byte[] BASELINE_SPS = bytes(0x67, 0x42, 0xC0, 0x1E, 0xDA, 0x02, 0x80, 0xBF, 0xE5);
    /** High 4:2:2 (122), level 4.0; chroma_format_idc 2 and 10-bit luma and chroma (0xB6 0xC0). */
    static final byte[] HIGH_422_10BIT_SPS = bytes(0x67, 0x7A, 0x00, 0x28, 0xB6, 0xC0, 0x44, 0x00);
    static final byte[] PPS = bytes(0x68, 0xEB, 0xE3, 0xCB, 0x22, 0xC0);

    static final StreamFormat HD = new StreamFormat(HIGH_SPS, PPS, 1280, 720);

    /** 90 kHz ticks per picture at 15 frames a second. */
    static final int STEP_15FPS = 6000;
    /** 20 hours into the camera's clock: past 32 bits, so 64-bit decode times are exercised. */
    static final long PTS_BASE = 20L * 3600 * 90_000;
    static final long CAPTURE_BASE = 1_750_000_000_000_000L;

    private TestVideo() {
    }

    /**
     * {@code count} pictures at 15 fps with a keyframe every {@code gop}; each has one or two NAL units of random
     * bytes, and a capture time exactly on the media timeline so a round trip gives it back.
     */
    static List<AccessUnit> units(int count, int gop, long seed) {
        Random random = new Random(seed);
        List<AccessUnit> units = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long pts = PTS_BASE + (long) i * STEP_15FPS;
            boolean key = i % gop == 0;
            units.add(new AccessUnit(pts, capture(pts), key, avcc(random, key ? 2 : 1, 10 + random.nextInt(500))));
        }
        return units;
    }

    static long capture(long pts) {
        return CAPTURE_BASE + Fragment.scale(pts - PTS_BASE, 90_000, 1_000_000);
    }

    static byte[] avcc(Random random, int nalCount, int nalSize) {
        ByteBuffer out = ByteBuffer.allocate(nalCount * (4 + nalSize));
        for (int n = 0; n < nalCount; n++) {
            byte[] nal = new byte[nalSize];
            random.nextBytes(nal);
            nal[0] = (byte) (n == 0 && nalCount > 1 ? 0x06 : 0x65);
            out.putInt(nalSize).put(nal);
        }
        return out.array();
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        for (byte[] p : parts) {
            out.put(p);
        }
        return out.array();
    }
}
