package dev.outpost.recorder.playback;

import dev.outpost.media.h264.AccessUnit;

/**
 * Gives recorded pictures their place on a playback stream's timeline: one continuous media time from 0, running
 * {@code 1/speed} as fast as the capture clock, with the holes between recordings closed up (a viewer scrubbing a
 * timeline jumps over gaps; the capture time each fragment carries in its {@code prft} still says when it was).
 * Not thread-safe.
 */
final class PlaybackClock {
    /** Picture distance assumed until two pictures have been seen: 15 fps, the cameras' usual rate. */
    static final long DEFAULT_STEP_MICROS = 66_667;

    private final double speed;
    private final long gapMicros;
    private long lastCaptureMicros = Long.MIN_VALUE;
    private long lastSourcePts90k;
    private long stepMicros = DEFAULT_STEP_MICROS;
    private long pts90k = -1;

    /**
     * @param speed     playback speed
     * @param gapMicros a capture-time distance between two pictures longer than this is a gap, closed up
     */
    PlaybackClock(double speed, long gapMicros) {
        this.speed = speed;
        this.gapMicros = gapMicros;
    }

    /**
     * The picture with its playback presentation time; its capture time is kept. The distance to the picture before
     * is the camera's own (its presentation times, evenly spaced) while those run on; otherwise, across a reconnect
     * or a segment that starts a new timeline, the capture clock's, unless that is a gap or a step back.
     */
    AccessUnit place(AccessUnit unit) {
        long capture = unit.captureMicros();
        if (pts90k < 0) {
            pts90k = 0;
        } else {
            long mediaDelta = (unit.pts90k() - lastSourcePts90k) * 1_000_000 / 90_000;
            long captureDelta = capture - lastCaptureMicros;
            long delta;
            if (mediaDelta > 0 && mediaDelta <= gapMicros) {
                delta = mediaDelta;
                stepMicros = mediaDelta;
            } else if (captureDelta > 0 && captureDelta <= gapMicros) {
                // Capture times jitter with the network: never closer than half a picture.
                delta = Math.max(captureDelta, stepMicros / 2);
            } else {
                delta = stepMicros; // a gap, or a clock that stepped back: one picture's distance
            }
            pts90k += Math.max(1, Math.round(delta * 0.09 / speed));
        }
        lastCaptureMicros = capture;
        lastSourcePts90k = unit.pts90k();
        return new AccessUnit(pts90k, capture, unit.keyframe(), unit.avcc());
    }

    /** Where a picture after the last one placed would go: the end of the last picture. */
    long nextPts90k() {
        return pts90k + Math.max(1, Math.round(stepMicros * 0.09 / speed));
    }
}
