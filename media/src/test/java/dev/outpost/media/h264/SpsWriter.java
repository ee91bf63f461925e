package dev.outpost.media.h264;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/**
 * Writes sequence parameter sets field by field (ITU-T H.264 section 7.3.2.1.1), with random choices
 * for everything the parser skips, so tests can check that it skips each structure by exactly its
 * length. The same layout, written in Python, made the hand-built SPS examples in {@link SpsParserTest},
 * which FFmpeg's trace_headers read back field for field.
 */
final class SpsWriter {
    int profileIdc = 100;
    int constraintFlags;
    int levelIdc = 40;
    int id;
    int chromaFormatIdc = 1;
    boolean separateColourPlanes;
    int bitDepthLumaMinus8;
    boolean scalingMatrix;
    int picOrderCntType;
    int pocCycle;
    int widthMbs = 120;
    int heightMapUnits = 68;
    boolean frameMbsOnly = true;
    int[] crop; // left, right, top, bottom, or null
    boolean vui;
    boolean aspectRatio;
    boolean videoSignal;
    boolean chromaLoc;
    long numUnitsInTick;
    long timeScale; // 0: no timing info
    private final Random random;

    private final BitWriter bits = new BitWriter();

    SpsWriter(Random random) {
        this.random = random;
    }

    byte[] write() {
        bits.u(8, 0x67);
        bits.u(8, profileIdc);
        bits.u(8, constraintFlags);
        bits.u(8, levelIdc);
        bits.ue(id);
        if (profileIdc == 100 || profileIdc == 110 || profileIdc == 122 || profileIdc == 244 || profileIdc == 44
                || profileIdc == 83 || profileIdc == 86 || profileIdc == 118 || profileIdc == 128) {
            bits.ue(chromaFormatIdc);
            if (chromaFormatIdc == 3) {
                bits.u(1, separateColourPlanes ? 1 : 0);
            }
            bits.ue(bitDepthLumaMinus8);
            bits.ue(random.nextInt(7));
            bits.u(1, random.nextInt(2));
            bits.u(1, scalingMatrix ? 1 : 0);
            if (scalingMatrix) {
                for (int i = 0; i < (chromaFormatIdc != 3 ? 8 : 12); i++) {
                    boolean present = random.nextBoolean();
                    bits.u(1, present ? 1 : 0);
                    if (present) {
                        scalingList(i < 6 ? 16 : 64);
                    }
                }
            }
        }
        bits.ue(random.nextInt(13));
        bits.ue(picOrderCntType);
        if (picOrderCntType == 0) {
            bits.ue(random.nextInt(13));
        } else if (picOrderCntType == 1) {
            bits.u(1, random.nextInt(2));
            bits.se(random.nextInt(2001) - 1000);
            bits.se(random.nextInt(2001) - 1000);
            bits.ue(pocCycle);
            for (int i = 0; i < pocCycle; i++) {
                bits.se(random.nextInt() / 2);
            }
        }
        bits.ue(random.nextInt(17));
        bits.u(1, random.nextInt(2));
        bits.ue(widthMbs - 1);
        bits.ue(heightMapUnits - 1);
        bits.u(1, frameMbsOnly ? 1 : 0);
        if (!frameMbsOnly) {
            bits.u(1, random.nextInt(2));
        }
        bits.u(1, random.nextInt(2));
        bits.u(1, crop != null ? 1 : 0);
        if (crop != null) {
            for (int offset : crop) {
                bits.ue(offset);
            }
        }
        bits.u(1, vui ? 1 : 0);
        if (vui) {
            bits.u(1, aspectRatio ? 1 : 0);
            if (aspectRatio) {
                bits.u(8, 255);
                bits.u(16, random.nextInt(65536));
                bits.u(16, random.nextInt(65536));
            }
            bits.u(1, 1);
            bits.u(1, random.nextInt(2));
            bits.u(1, videoSignal ? 1 : 0);
            if (videoSignal) {
                bits.u(3, random.nextInt(8));
                bits.u(1, random.nextInt(2));
                bits.u(1, 1);
                bits.u(24, random.nextInt(1 << 24));
            }
            bits.u(1, chromaLoc ? 1 : 0);
            if (chromaLoc) {
                bits.ue(random.nextInt(6));
                bits.ue(random.nextInt(6));
            }
            bits.u(1, timeScale > 0 ? 1 : 0);
            if (timeScale > 0) {
                bits.u(32, numUnitsInTick);
                bits.u(32, timeScale);
                bits.u(1, random.nextInt(2));
            }
            bits.u(4, 0); // no HRD, no pic_struct, no bitstream restriction
        }
        return NalUnits.addEmulationPrevention(bits.rbsp());
    }

    /** Section 7.3.2.1.1.1, sometimes ending early with nextScale 0 (use the default list). */
    private void scalingList(int size) {
        int lastScale = 8;
        int nextScale = 8;
        for (int j = 0; j < size && nextScale != 0; j++) {
            int target = random.nextInt(20) == 0 ? 0 : 1 + random.nextInt(255);
            int delta = Math.floorMod(target - lastScale + 128, 256) - 128;
            bits.se(delta);
            nextScale = (lastScale + delta + 256) % 256;
            lastScale = nextScale == 0 ? lastScale : nextScale;
        }
    }

    /** MSB-first bit writer with Exp-Golomb codes. */
    static final class BitWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int current;
        private int count;

        void u(int n, long value) {
            for (int i = n - 1; i >= 0; i--) {
                current = current << 1 | (int) ((value >>> i) & 1);
                if (++count == 8) {
                    out.write(current);
                    current = 0;
                    count = 0;
                }
            }
        }

        void ue(long value) {
            long v = value + 1;
            int length = 64 - Long.numberOfLeadingZeros(v);
            u(length - 1, 0);
            u(length, v);
        }

        void se(long value) {
            ue(value > 0 ? 2 * value - 1 : -2 * value);
        }

        /** The bits with rbsp_trailing_bits: a 1 and zeros to the byte boundary. */
        byte[] rbsp() {
            u(1, 1);
            while (count != 0) {
                u(1, 0);
            }
            return out.toByteArray();
        }
    }
}
