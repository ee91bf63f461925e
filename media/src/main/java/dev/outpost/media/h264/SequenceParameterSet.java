package dev.outpost.media.h264;

import java.util.OptionalDouble;

/**
 * What a sequence parameter set says that Outpost uses: the profile and level (for codec strings and
 * capability checks), the displayed picture size, and the frame rate when the encoder states one.
 *
 * @param profileIdc      profile_idc (66 baseline, 77 main, 100 high, ...)
 * @param constraintFlags the byte of constraint_set flags that follows profile_idc
 * @param levelIdc        level_idc, ten times the level (31 is level 3.1)
 * @param id              seq_parameter_set_id
 * @param chromaFormatIdc 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4
 * @param bitDepthLuma    bits per luma sample, 8 to 14
 * @param frameMbsOnly    false when the stream may hold fields (interlaced)
 * @param width           picture width in pixels after frame cropping
 * @param height          frame height in pixels after frame cropping
 * @param frameRate       frames per second from VUI timing info (time_scale / (2 * num_units_in_tick)),
 *                        empty when the SPS carries none
 */
public record SequenceParameterSet(int profileIdc, int constraintFlags, int levelIdc, int id, int chromaFormatIdc,
                                   int bitDepthLuma, boolean frameMbsOnly, int width, int height,
                                   OptionalDouble frameRate) {
}
