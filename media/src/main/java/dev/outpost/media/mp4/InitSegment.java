package dev.outpost.media.mp4;

import dev.outpost.media.h264.StreamFormat;
import java.util.Objects;

/**
 * What an init segment ({@code ftyp} + {@code moov}) says about its one H.264 track.
 *
 * @param format    the decoder configuration from {@code avcC} and the size from the {@code avc1} sample entry
 * @param timescale ticks per second of the track's media time ({@code mdhd}); 90000 for what Outpost writes
 */
public record InitSegment(StreamFormat format, int timescale) {
    public InitSegment {
        Objects.requireNonNull(format, "format");
        if (timescale <= 0) {
            throw new IllegalArgumentException("timescale " + timescale + " is not positive");
        }
    }
}
