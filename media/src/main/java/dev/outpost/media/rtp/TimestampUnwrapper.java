package dev.outpost.media.rtp;

/**
 * Extends 32-bit RTP timestamps (RFC 3550 section 5.1) into a continuous count: each timestamp is taken
 * as the nearest to the previous one, so wrapping past 2^32 continues upwards and a step back (a
 * reordered picture) stays a step back. The first timestamp is the origin, so timestamps before the
 * first wrap keep their value. After {@link #restart()} (a sender that started over with a new random
 * timestamp) the count goes on one picture interval after where it was, never backwards.
 */
final class TimestampUnwrapper {
    /** The interval assumed before two pictures were seen: 1/30 s at 90 kHz. */
    private static final long DEFAULT_STEP = 3000;
    /** Steps longer than this (one second at 90 kHz) are pauses, not a picture interval. */
    private static final long MAX_STEP = 90_000;

    private boolean started;
    private boolean restarting;
    private long last;
    private long extended;
    private long step = DEFAULT_STEP;

    long unwrap(long timestamp) {
        if (!started) {
            started = true;
            extended = timestamp;
        } else if (restarting) {
            restarting = false;
            extended += step;
        } else {
            long delta = (int) (timestamp - last); // signed 32-bit difference
            if (delta > 0 && delta <= MAX_STEP) {
                step = delta;
            }
            extended += delta;
        }
        last = timestamp;
        return extended;
    }

    /** The next timestamp starts a new timeline. */
    void restart() {
        restarting = started;
    }
}
