package dev.outpost.media.h264;

import java.util.Objects;

/**
 * What a decoder needs before the first picture: the sequence and picture parameter sets, and what
 * they say (size, profile) in the forms MP4 and browsers want.
 *
 * @param sps    the sequence parameter set NAL unit, without start code or length prefix
 * @param pps    the picture parameter set NAL unit, likewise
 * @param width  coded picture width in pixels, after cropping
 * @param height coded picture height in pixels, after cropping
 */
public record StreamFormat(byte[] sps, byte[] pps, int width, int height) {
    public StreamFormat {
        Objects.requireNonNull(sps, "sps");
        Objects.requireNonNull(pps, "pps");
        if (sps.length < 4) {
            throw new IllegalArgumentException("an SPS has at least 4 bytes, this has " + sps.length);
        }
    }

    /** RFC 6381 codec string for MSE and DASH, for example {@code avc1.640028}. */
    public String codec() {
        return String.format("avc1.%02x%02x%02x", sps[1] & 0xFF, sps[2] & 0xFF, sps[3] & 0xFF);
    }
}
