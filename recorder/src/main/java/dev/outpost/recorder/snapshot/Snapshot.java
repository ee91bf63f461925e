package dev.outpost.recorder.snapshot;

import java.util.Objects;

/**
 * A JPEG of one picture and where it came from.
 *
 * @param jpeg          the JPEG file's bytes; owned by the caller
 * @param width         the JPEG's width in pixels (the picture's, or less if it was scaled down)
 * @param height        the JPEG's height in pixels
 * @param pts90k        the picture's presentation time on its stream's 90 kHz clock
 * @param captureMicros the picture's wall-clock capture time, microseconds since the epoch
 */
public record Snapshot(byte[] jpeg, int width, int height, long pts90k, long captureMicros) {
    public Snapshot {
        Objects.requireNonNull(jpeg, "jpeg");
    }
}
