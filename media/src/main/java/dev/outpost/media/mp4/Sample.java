package dev.outpost.media.mp4;

import java.util.Objects;

/**
 * One sample of a track fragment as MP4 stores it (ISO/IEC 14496-12 section 8.8.8, a {@code trun} entry plus its
 * bytes in {@code mdat}).
 *
 * @param duration          decode-time distance to the next sample, in the track's timescale (unsigned 32-bit)
 * @param compositionOffset presentation time minus decode time, in the track's timescale; 0 for streams without
 *                          B-frames, which is every camera stream Outpost records
 * @param sync              whether a decoder can start here (an IDR picture); written as {@code sample_depends_on = 2}
 *                          and {@code sample_is_non_sync_sample = 0}
 * @param data              the sample's bytes, for H.264 the access unit's 4-byte length-prefixed NAL units; never
 *                          modified
 */
public record Sample(long duration, int compositionOffset, boolean sync, byte[] data) {
    static final long MAX_DURATION = 0xFFFF_FFFFL;

    public Sample {
        Objects.requireNonNull(data, "data");
        if (duration < 0 || duration > MAX_DURATION) {
            throw new IllegalArgumentException("sample duration " + duration + " is not an unsigned 32-bit value");
        }
    }

    public int size() {
        return data.length;
    }
}
