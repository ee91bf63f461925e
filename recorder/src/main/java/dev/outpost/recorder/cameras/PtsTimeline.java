package dev.outpost.recorder.cameras;

/**
 * Keeps one stream's presentation times on one timeline across RTSP sessions. Each session's depacketizer
 * unwraps its own RTP timestamps, which start at a random value (RFC 3550 section 5.1) and start again at
 * another after a reconnection; recordings and viewers need pts that only grow.
 *
 * <p>The first picture ever gets pts 0. The first picture of every later session gets the last pts plus
 * the wall-clock time between the two pictures' capture (at least one picture interval), so a gap in the
 * video keeps its real length; the session's later pictures keep their distance from its first.
 */
final class PtsTimeline {
    private static final long DEFAULT_STEP = 3000; // 1/30 s at 90 kHz, until two pictures say otherwise
    private static final long MAX_STEP = 90_000;

    private boolean any;
    private boolean sessionStarted;
    private long offset;
    private long previousSessionPts;
    private long lastPts;
    private long lastCaptureMicros;
    private long step = DEFAULT_STEP;

    /** The next picture starts a new session, on a timeline of its own. */
    void newSession() {
        sessionStarted = false;
    }

    /** The stream's pts for a picture with the session's pts {@code sessionPts} captured at {@code captureMicros}. */
    long map(long sessionPts, long captureMicros) {
        if (!sessionStarted) {
            sessionStarted = true;
            long first = any ? lastPts + Math.max(step, (captureMicros - lastCaptureMicros) * 9 / 100) : 0;
            offset = first - sessionPts;
        } else {
            long delta = sessionPts - previousSessionPts;
            if (delta > 0 && delta <= MAX_STEP) {
                step = delta;
            }
        }
        previousSessionPts = sessionPts;
        long pts = sessionPts + offset;
        if (!any || pts > lastPts) {
            lastPts = pts;
            lastCaptureMicros = captureMicros;
        }
        any = true;
        return pts;
    }
}
