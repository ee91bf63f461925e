package dev.outpost.media.mp4;

import dev.outpost.media.h264.StreamFormat;

/**
 * The {@code avcC} payload, AVCDecoderConfigurationRecord (ISO/IEC 14496-15 section 5.3.3.1): profile, compatibility
 * and level copied from the SPS, 4-byte NAL lengths, one SPS and one PPS, and for profiles beyond Main the chroma
 * format and bit depths, read from the SPS.
 */
final class AvcDecoderConfiguration {
    /** AccessUnit.avcc prefixes each NAL unit with a 4-byte length. */
    static final int LENGTH_SIZE_MINUS_ONE = 3;

    private AvcDecoderConfiguration() {
    }

    static void write(BoxWriter out, StreamFormat format) {
        byte[] sps = format.sps();
        byte[] pps = format.pps();
        if (sps.length > 0xFFFF || pps.length > 0xFFFF) {
            throw new IllegalArgumentException("parameter sets are at most 65535 bytes in avcC");
        }
        int profile = sps[1] & 0xFF;
        out.u8(1) // configurationVersion
                .u8(profile)
                .u8(sps[2] & 0xFF) // profile_compatibility: the constraint_set flags
                .u8(sps[3] & 0xFF)
                .u8(0xFC | LENGTH_SIZE_MINUS_ONE)
                .u8(0xE0 | 1).u16(sps.length).bytes(sps)
                .u8(1).u16(pps.length).bytes(pps);
        if (hasExtension(profile)) {
            Chroma chroma = Chroma.of(sps);
            out.u8(0xFC | chroma.format)
                    .u8(0xF8 | chroma.lumaBitDepthMinus8)
                    .u8(0xF8 | chroma.chromaBitDepthMinus8)
                    .u8(0); // numOfSequenceParameterSetExt
        }
    }

    /**
     * Reads the first SPS and PPS; the chroma extension, if any, is skipped (it repeats what the SPS says).
     *
     * @throws Mp4FormatException when the record is cut short, uses other than 4-byte lengths, or lacks an SPS or PPS
     */
    static StreamFormat read(ByteCursor in, int width, int height) {
        int at = in.position();
        int version = in.u8();
        if (version != 1) {
            throw in.error(at, "configurationVersion " + version + " is not 1");
        }
        in.skip(3); // profile, compatibility, level: the SPS says the same
        int lengthSize = (in.u8() & 0x03) + 1;
        if (lengthSize != LENGTH_SIZE_MINUS_ONE + 1) {
            throw in.error(at, "NAL unit lengths of " + lengthSize + " bytes; Outpost reads 4-byte lengths only");
        }
        byte[] sps = firstOf(in, in.u8() & 0x1F, "SPS");
        byte[] pps = firstOf(in, in.u8(), "PPS");
        if (sps.length < 4) {
            throw in.error(at, "SPS of " + sps.length + " bytes is too short (at least 4)");
        }
        return new StreamFormat(sps, pps, width, height);
    }

    private static byte[] firstOf(ByteCursor in, int count, String what) {
        if (count == 0) {
            throw in.error(in.position(), "has no " + what);
        }
        byte[] first = null;
        for (int i = 0; i < count; i++) {
            byte[] set = in.bytes(in.u16(), what);
            if (first == null) {
                first = set;
            }
        }
        return first;
    }

    /**
     * Section 5.3.3.1.2 writes chroma_format and bit depths for every profile but Baseline (66), Main (77) and
     * Extended (88); the 2010 text listed only 100, 110, 122 and 144, and readers accept either.
     */
    static boolean hasExtension(int profile) {
        return profile != 66 && profile != 77 && profile != 88;
    }

    /** chroma_format_idc and bit depths of an SPS (ITU-T H.264 section 7.3.2.1.1); 4:2:0 8-bit when not coded. */
    record Chroma(int format, int lumaBitDepthMinus8, int chromaBitDepthMinus8) {
        static Chroma of(byte[] sps) {
            int profile = sps[1] & 0xFF;
            if (!codesChroma(profile)) {
                return new Chroma(1, 0, 0);
            }
            ExpGolomb bits = new ExpGolomb(sps, 4); // after the NAL header, profile, constraints, level
            bits.ue(); // seq_parameter_set_id
            int chromaFormat = bits.ue();
            if (chromaFormat > 3) {
                throw new IllegalArgumentException("SPS chroma_format_idc " + chromaFormat + " is over 3");
            }
            if (chromaFormat == 3) {
                bits.bit(); // separate_colour_plane_flag
            }
            int luma = bits.ue();
            int chroma = bits.ue();
            if (luma > 6 || chroma > 6) {
                throw new IllegalArgumentException("SPS bit depths minus 8 (" + luma + ", " + chroma + ") are over 6");
            }
            return new Chroma(chromaFormat, luma, chroma);
        }

        private static boolean codesChroma(int profile) {
            return switch (profile) {
                case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 -> true;
                default -> false;
            };
        }
    }

    /** Exp-Golomb bits of an RBSP, skipping emulation prevention bytes (H.264 section 7.4.1); bounded by the array. */
    static final class ExpGolomb {
        private final byte[] nal;
        private int index;
        private int bit = 8;
        private int current;
        private int zeros;

        ExpGolomb(byte[] nal, int from) {
            this.nal = nal;
            this.index = from;
        }

        int bit() {
            if (bit == 8) {
                if (index >= nal.length) {
                    throw new IllegalArgumentException("SPS ends in the middle of a field");
                }
                int b = nal[index++] & 0xFF;
                if (zeros >= 2 && b == 3) { // emulation_prevention_three_byte
                    zeros = 0;
                    return bit();
                }
                zeros = b == 0 ? zeros + 1 : 0;
                current = b;
                bit = 0;
            }
            return current >>> (7 - bit++) & 1;
        }

        int ue() {
            int leadingZeros = 0;
            while (bit() == 0) {
                if (++leadingZeros > 31) {
                    throw new IllegalArgumentException("SPS has an Exp-Golomb code longer than 32 bits");
                }
            }
            long value = 0;
            for (int i = 0; i < leadingZeros; i++) {
                value = value << 1 | bit();
            }
            long result = (1L << leadingZeros) - 1 + value;
            if (result > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("SPS Exp-Golomb value " + result + " is out of range");
            }
            return (int) result;
        }
    }
}
