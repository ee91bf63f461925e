package dev.outpost.media.rtp;

/**
 * Maps an access unit's RTP timestamp to the wall-clock time it was captured, which live viewers and the
 * recording index measure against. The default takes arrival time, the best a receiver knows until an
 * RTCP sender report (RFC 3550 section 6.4.1) ties the RTP clock to the sender's NTP clock;
 * {@link SenderReportClock}, which reads sender reports, replaces it without touching the depacketizer.
 */
@FunctionalInterface
public interface CaptureClock {
    /**
     * @param rtpTimestamp   the access unit's 32-bit RTP timestamp
     * @param arrivalMicros  when its first packet arrived, microseconds since the epoch
     * @return capture time, microseconds since the epoch
     */
    long captureMicros(long rtpTimestamp, long arrivalMicros);

    /** Capture time is taken to be the arrival of the access unit's first packet. */
    static CaptureClock arrival() {
        return (rtpTimestamp, arrivalMicros) -> arrivalMicros;
    }
}
