package dev.outpost.media.h264;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One coded picture of an H.264 stream as the recorder moves it, never decoded: its NAL units in
 * AVCC form (each prefixed by its 4-byte big-endian length, no start codes), immutable and shared by
 * every consumer (recording, live viewers, GOP cache).
 *
 * @param pts90k       presentation time on the stream's 90 kHz clock, continuous (never wraps back)
 * @param captureMicros wall-clock capture time, microseconds since the epoch (RTCP sender reports or
 *                     arrival time); what a live viewer's latency is measured against
 * @param keyframe     whether it holds an IDR slice, so a decoder can start here
 * @param avcc         length-prefixed NAL units; owned by nobody, never modified
 */
public record AccessUnit(long pts90k, long captureMicros, boolean keyframe, byte[] avcc) {
    public AccessUnit {
        Objects.requireNonNull(avcc, "avcc");
    }

    public int size() {
        return avcc.length;
    }

    /** {@link #captureMicros()} as an instant. */
    public Instant captureTime() {
        return Instant.EPOCH.plus(captureMicros, ChronoUnit.MICROS);
    }
}
