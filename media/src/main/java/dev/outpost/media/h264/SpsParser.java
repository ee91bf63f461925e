package dev.outpost.media.h264;

import java.util.OptionalDouble;

/**
 * Parses a sequence parameter set (ITU-T H.264 section 7.3.2.1.1) as far as the VUI timing info: the
 * fields needed for picture size, profile, level and frame rate. Every field is range-checked against
 * the standard, so a malformed SPS fails with the field's name and RBSP bit offset rather than with a
 * wrong size.
 */
public final class SpsParser {
    /** Widest and tallest pictures accepted, in macroblocks: level 6.2 allows 139,264 MBs, sqrt(8 * that) wide. */
    static final int MAX_MBS = 1056;

    private SpsParser() {
    }

    /**
     * Parses an SPS NAL unit given with its header byte, without start code or length prefix; emulation
     * prevention bytes are removed first.
     *
     * @throws H264FormatException if it is not an SPS or breaks the syntax
     */
    public static SequenceParameterSet parse(byte[] nal) {
        if (nal.length < 4) {
            throw new H264FormatException("SPS of " + nal.length + " bytes is shorter than its 4-byte header");
        }
        if ((nal[0] & 0x80) != 0) {
            throw new H264FormatException("SPS forbidden_zero_bit at bit 0 is set");
        }
        if (NalUnits.type(nal[0]) != NalUnits.SPS) {
            throw new H264FormatException("NAL unit type " + NalUnits.type(nal[0]) + " at bit 3 is not an SPS (7)");
        }
        RbspReader r = new RbspReader("SPS", NalUnits.removeEmulationPrevention(nal, 0, nal.length));
        r.bits(8, "nal_unit_header");
        int profileIdc = r.u(8, "profile_idc");
        int constraintFlags = r.u(8, "constraint_set_flags");
        int levelIdc = r.u(8, "level_idc");
        int id = r.ue("seq_parameter_set_id", 31);

        int chromaFormatIdc = 1; // 4:2:0 unless a high profile says otherwise
        boolean separateColourPlanes = false;
        int bitDepthLuma = 8;
        if (hasChromaInfo(profileIdc)) {
            chromaFormatIdc = r.ue("chroma_format_idc", 3);
            if (chromaFormatIdc == 3) {
                separateColourPlanes = r.flag("separate_colour_plane_flag");
            }
            bitDepthLuma = 8 + r.ue("bit_depth_luma_minus8", 6);
            r.ue("bit_depth_chroma_minus8", 6);
            r.flag("qpprime_y_zero_transform_bypass_flag");
            if (r.flag("seq_scaling_matrix_present_flag")) {
                int lists = chromaFormatIdc != 3 ? 8 : 12;
                for (int i = 0; i < lists; i++) {
                    if (r.flag("seq_scaling_list_present_flag")) {
                        skipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        r.ue("log2_max_frame_num_minus4", 12);
        int picOrderCntType = r.ue("pic_order_cnt_type", 2);
        if (picOrderCntType == 0) {
            r.ue("log2_max_pic_order_cnt_lsb_minus4", 12);
        } else if (picOrderCntType == 1) {
            r.flag("delta_pic_order_always_zero_flag");
            r.se("offset_for_non_ref_pic", -Integer.MAX_VALUE, Integer.MAX_VALUE);
            r.se("offset_for_top_to_bottom_field", -Integer.MAX_VALUE, Integer.MAX_VALUE);
            int cycle = r.ue("num_ref_frames_in_pic_order_cnt_cycle", 255);
            for (int i = 0; i < cycle; i++) {
                r.se("offset_for_ref_frame", -Integer.MAX_VALUE, Integer.MAX_VALUE);
            }
        }
        r.ue("max_num_ref_frames", 16);
        r.flag("gaps_in_frame_num_value_allowed_flag");
        int widthMbs = r.ue("pic_width_in_mbs_minus1", MAX_MBS - 1) + 1;
        int heightMapUnits = r.ue("pic_height_in_map_units_minus1", MAX_MBS - 1) + 1;
        boolean frameMbsOnly = r.flag("frame_mbs_only_flag");
        if (!frameMbsOnly) {
            r.flag("mb_adaptive_frame_field_flag");
        }
        r.flag("direct_8x8_inference_flag");
        int width = widthMbs * 16;
        int height = (frameMbsOnly ? 1 : 2) * heightMapUnits * 16;
        if (r.flag("frame_cropping_flag")) {
            // Section 7.4.2.1.1: crop offsets count in chroma sample units, doubled vertically for fields.
            int chromaArrayType = separateColourPlanes ? 0 : chromaFormatIdc;
            int cropUnitX = chromaArrayType == 0 ? 1 : (chromaFormatIdc == 3 ? 1 : 2);
            int cropUnitY = (chromaArrayType == 0 ? 1 : (chromaFormatIdc == 1 ? 2 : 1)) * (frameMbsOnly ? 1 : 2);
            long position = r.position();
            long left = r.ue("frame_crop_left_offset", width);
            long right = r.ue("frame_crop_right_offset", width);
            long top = r.ue("frame_crop_top_offset", height);
            long bottom = r.ue("frame_crop_bottom_offset", height);
            long croppedWidth = width - cropUnitX * (left + right);
            long croppedHeight = height - cropUnitY * (top + bottom);
            if (croppedWidth <= 0 || croppedHeight <= 0) {
                throw new H264FormatException("SPS frame cropping at bit " + position + " (" + left + ", " + right
                        + ", " + top + ", " + bottom + ") leaves nothing of the " + width + "x" + height + " picture");
            }
            width = (int) croppedWidth;
            height = (int) croppedHeight;
        }
        OptionalDouble frameRate = OptionalDouble.empty();
        if (r.flag("vui_parameters_present_flag")) {
            frameRate = frameRate(r);
        }
        return new SequenceParameterSet(profileIdc, constraintFlags, levelIdc, id, chromaFormatIdc, bitDepthLuma,
                frameMbsOnly, width, height, frameRate);
    }

    /** Profiles whose SPS carries chroma format, bit depths and scaling matrices (section 7.3.2.1.1). */
    private static boolean hasChromaInfo(int profileIdc) {
        return switch (profileIdc) {
            case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 -> true;
            default -> false;
        };
    }

    /** Section 7.3.2.1.1.1: the values do not matter here, only where the list ends. */
    private static void skipScalingList(RbspReader r, int size) {
        int lastScale = 8;
        int nextScale = 8;
        for (int j = 0; j < size && nextScale != 0; j++) {
            int delta = r.se("delta_scale", -128, 127);
            nextScale = (lastScale + delta + 256) % 256;
            lastScale = nextScale == 0 ? lastScale : nextScale;
        }
    }

    /**
     * Annex E.1.1 up to the timing info. A VUI that ends early only loses the frame rate: FFmpeg reads
     * such truncated VUIs too, and the picture size, which a recorder cannot do without, is known by then.
     */
    private static OptionalDouble frameRate(RbspReader r) {
        try {
            if (r.flag("aspect_ratio_info_present_flag")) {
                if (r.u(8, "aspect_ratio_idc") == 255) { // Extended_SAR
                    r.u(16, "sar_width");
                    r.u(16, "sar_height");
                }
            }
            if (r.flag("overscan_info_present_flag")) {
                r.flag("overscan_appropriate_flag");
            }
            if (r.flag("video_signal_type_present_flag")) {
                r.u(3, "video_format");
                r.flag("video_full_range_flag");
                if (r.flag("colour_description_present_flag")) {
                    r.u(8, "colour_primaries");
                    r.u(8, "transfer_characteristics");
                    r.u(8, "matrix_coefficients");
                }
            }
            if (r.flag("chroma_loc_info_present_flag")) {
                r.ue("chroma_sample_loc_type_top_field", 5);
                r.ue("chroma_sample_loc_type_bottom_field", 5);
            }
            if (!r.flag("timing_info_present_flag")) {
                return OptionalDouble.empty();
            }
            long numUnitsInTick = r.bits(32, "num_units_in_tick");
            long timeScale = r.bits(32, "time_scale");
            if (numUnitsInTick == 0 || timeScale == 0) {
                return OptionalDouble.empty(); // both "shall be greater than 0"; a stream that breaks it states no rate
            }
            // One tick is one field, so a frame lasts two ticks (equation E-42 with DeltaTfiDivisor 2).
            return OptionalDouble.of(timeScale / (2.0 * numUnitsInTick));
        } catch (H264FormatException truncatedOrOutOfRange) {
            return OptionalDouble.empty();
        }
    }
}
