package dev.outpost.recorder.cameras;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What one camera stream is doing, for the API and the installer: its state and since when, why it last
 * failed, and what the video looks like (rates measured over the last few seconds of pictures, counts since
 * the stream was created, across reconnections).
 *
 * @param state              see {@link State}
 * @param since              when it entered that state
 * @param lastError          the last failure in plain words; kept after recovery so a flapping camera shows why
 * @param failures           failed attempts in a row (0 while streaming)
 * @param transport          how RTP travels in the current session ({@link RtpTransport#TCP} or {@link RtpTransport#UDP})
 * @param resolution         picture size from the stream's SPS, once known
 * @param framesPerSecond    pictures per second over the last {@value RateWindow#WINDOW_SECONDS} s
 * @param bitsPerSecond      video bit rate over the same window
 * @param packets            RTP packets received
 * @param packetsLost        packets missing from sequence gaps
 * @param packetsLate        packets too late to put back in order, or duplicated: dropped
 * @param packetsReordered   packets that came over UDP out of order and were put back in place
 * @param packetsMalformed   packets that are not RTP, carry another payload type, or break RFC 6184
 * @param accessUnits        pictures delivered to sinks
 * @param accessUnitsDropped pictures not delivered: damaged by loss, or waiting for a keyframe after it
 * @param cameraClockOffset  how far the camera's clock is ahead of the recorder's (negative: behind) by its latest
 *                           RTCP sender report, network delay included; empty when it sends none. Within 1 s,
 *                           capture times come from the camera's clock; beyond, from arrival, and the camera's NTP
 *                           setting needs fixing
 */
public record CameraStatus(State state, Instant since, Optional<String> lastError, int failures,
                           Optional<RtpTransport> transport, Optional<Resolution> resolution, double framesPerSecond,
                           long bitsPerSecond, long packets, long packetsLost, long packetsLate, long packetsReordered,
                           long packetsMalformed,
                           long accessUnits, long accessUnitsDropped, Optional<Duration> cameraClockOffset) {

    public enum State {
        /** Connecting and negotiating (DESCRIBE, SETUP, PLAY), the first time or again after a failure. */
        CONNECTING,
        /** Playing: the camera accepted PLAY and RTP is expected. */
        STREAMING,
        /** The last attempt failed for a reason that may pass (unreachable, timeout, dropped); retrying soon. */
        RETRYING,
        /**
         * The camera refused the stream (wrong credentials, no such path, not H.264): someone needs to fix
         * the camera or its configuration. Retries continue, at the longest interval.
         */
        FAILED,
        /** Closed: no more attempts. */
        CLOSED
    }

    /** Picture size in pixels, after cropping. */
    public record Resolution(int width, int height) {
        @Override
        public String toString() {
            return width + "x" + height;
        }
    }
}
