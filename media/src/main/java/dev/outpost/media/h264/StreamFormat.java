package dev.outpost.media.h264;

import java.util.Arrays;
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

    /**
     * The format an SPS and PPS describe, its size read from the SPS.
     *
     * @param sps an SPS NAL unit (type 7), without start code or length prefix
     * @param pps a PPS NAL unit (type 8), likewise
     * @throws H264FormatException if the SPS is malformed or either is of the wrong type
     */
    public static StreamFormat of(byte[] sps, byte[] pps) {
        if (pps.length == 0 || NalUnits.type(pps[0]) != NalUnits.PPS) {
            throw new H264FormatException("expected a PPS (NAL unit type 8), got "
                    + (pps.length == 0 ? "an empty NAL unit" : "type " + NalUnits.type(pps[0])));
        }
        SequenceParameterSet parsed = SpsParser.parse(sps);
        return new StreamFormat(sps.clone(), pps.clone(), parsed.width(), parsed.height());
    }

    /** Equal when the parameter sets are the same bytes: then one decoder configuration serves both. */
    @Override
    public boolean equals(Object o) {
        return o instanceof StreamFormat other && width == other.width && height == other.height
                && Arrays.equals(sps, other.sps) && Arrays.equals(pps, other.pps);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sps) + Arrays.hashCode(pps);
    }

    @Override
    public String toString() {
        return codec() + " " + width + "x" + height;
    }

    /** RFC 6381 codec string for MSE and DASH, for example {@code avc1.640028}. */
    public String codec() {
        return String.format("avc1.%02x%02x%02x", sps[1] & 0xFF, sps[2] & 0xFF, sps[3] & 0xFF);
    }
}
