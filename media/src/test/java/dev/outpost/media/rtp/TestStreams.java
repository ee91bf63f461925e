package dev.outpost.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.NalUnits;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Access units that look like a camera's (parameter sets, IDR and P slices, SEI, AUD), for RTP tests. */
final class TestStreams {
    /** libx264, 1280x720 High, 15 fps (see SpsParserTest). */
    static final byte[] SPS = HexFormat.of().parseHex("6764001facd9405005bb0110000003001000000301e0f1831960");
    static final byte[] PPS = HexFormat.of().parseHex("68ebe3cb22c0");
    static final byte[] AUD = {0x09, (byte) 0xF0};

    private TestStreams() {
    }

    /**
     * A slice NAL unit of {@code size} bytes. {@code firstInPicture} sets first_mb_in_slice to 0 (the top
     * bit after the header); other slices start at a later macroblock.
     */
    static byte[] slice(Random random, int type, int nri, int size, boolean firstInPicture) {
        byte[] nal = new byte[Math.max(2, size)];
        random.nextBytes(nal);
        nal[0] = (byte) (nri << 5 | type);
        nal[1] = (byte) (firstInPicture ? nal[1] | 0x80 : nal[1] & 0x7F | 0x40);
        if (nal[nal.length - 1] == 0) {
            nal[nal.length - 1] = (byte) 0x80;
        }
        return nal;
    }

    /** A keyframe: [AUD] SPS PPS [SEI] IDR slices, sizes up to {@code maxNal}. */
    static AccessUnit keyframe(Random random, long pts, int maxNal) {
        List<byte[]> nals = new ArrayList<>();
        if (random.nextBoolean()) {
            nals.add(AUD);
        }
        nals.add(SPS);
        nals.add(PPS);
        addSeiAndSlices(random, nals, NalUnits.IDR_SLICE, 3, maxNal);
        return new AccessUnit(pts, 0, true, NalUnits.toAvcc(nals));
    }

    /** A P picture: [AUD] [SEI] slices of type 1, reference ones unless {@code nri} is 0. */
    static AccessUnit picture(Random random, long pts, int nri, int maxNal) {
        List<byte[]> nals = new ArrayList<>();
        if (random.nextBoolean()) {
            nals.add(AUD);
        }
        addSeiAndSlices(random, nals, NalUnits.NON_IDR_SLICE, nri, maxNal);
        return new AccessUnit(pts, 0, false, NalUnits.toAvcc(nals));
    }

    private static void addSeiAndSlices(Random random, List<byte[]> nals, int type, int nri, int maxNal) {
        if (random.nextInt(3) == 0) {
            nals.add(slice(random, NalUnits.SEI, 0, 2 + random.nextInt(40), true));
        }
        int slices = 1 + (random.nextInt(4) == 0 ? random.nextInt(8) : 0);
        for (int i = 0; i < slices; i++) {
            int size = random.nextInt(5) == 0 ? 1 + random.nextInt(maxNal) : 2 + random.nextInt(Math.min(maxNal, 300));
            nals.add(slice(random, type, nri, size, i == 0));
        }
    }

    /** A GOP-structured stream: a keyframe every {@code gop} units, 3000 ticks apart from {@code firstPts}. */
    static List<AccessUnit> stream(Random random, int count, int gop, long firstPts, int maxNal) {
        List<AccessUnit> units = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long pts = firstPts + 3000L * i;
            units.add(i % gop == 0 ? keyframe(random, pts, maxNal)
                    : picture(random, pts, random.nextInt(6) == 0 ? 0 : 2, maxNal));
        }
        return units;
    }

    static void assertSameUnits(List<AccessUnit> actual, List<AccessUnit> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            AccessUnit a = actual.get(i);
            AccessUnit e = expected.get(i);
            assertThat(a.pts90k()).as("pts of unit %d", i).isEqualTo(e.pts90k());
            assertThat(a.keyframe()).as("keyframe of unit %d", i).isEqualTo(e.keyframe());
            assertThat(a.avcc()).as("bytes of unit %d", i).isEqualTo(e.avcc());
        }
    }

    /** A clock the test moves. */
    static final class ManualClock implements InstantSource {
        Instant now = Instant.parse("2026-11-23T12:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        void advanceMillis(long millis) {
            now = now.plusMillis(millis);
        }

        long micros() {
            return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        }
    }
}
